// A signed-in session against the API's token mutations (`refreshSession`, `signOut`): the
// access token in memory only, the refresh token in localStorage so that a reload (or another
// tab) gets a new access token with it. It is the `auth` of a ./graphql.js client.

import { readText } from "./storage.js";

/** The fields a `session` payload is asked for, the ones `start` reads. */
export const SESSION_FIELDS = "accessToken accessTokenExpiresAt refreshToken user { id email phone nickname }";
const REFRESH_MUTATION = `
mutation Refresh($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { session { ${SESSION_FIELDS} } errors { code } }
}`;
const SIGN_OUT_MUTATION = `
mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) { errors { code } } }`;
// Refresh answers after which the stored token is worth nothing.
const SESSION_GONE = ["TOKEN_INVALID", "TOKEN_REUSED", "ACCOUNT_DISABLED"];

const withLock = (name, fn) => (navigator.locks ? navigator.locks.request(name, fn) : fn());

/**
 * The session kept under `storageKey`, refreshed through `client`. `locale()` is the language
 * of its requests. `on({started, forgotten, ended})` hears it: `started` after a sign-in or a
 * refresh, `forgotten` when the tokens in memory are dropped, `ended` after a sign-out.
 */
export function createSession(client, { storageKey, lockName = `${storageKey}-refresh`, locale = () => null }) {
  const state = { accessToken: null, expiresAt: 0, user: null };
  const listeners = { started: () => {}, forgotten: () => {}, ended: () => {} };
  let refreshing = null; // the refresh in flight, shared by everyone who needs it
  let epoch = 0; // bumped on sign-out: a refresh still in flight is then dropped

  const storedToken = () => readText(storageKey);

  /** Takes the tokens of a `session` payload. */
  function start(s) {
    state.accessToken = s.accessToken;
    state.expiresAt = Date.parse(s.accessTokenExpiresAt);
    state.user = s.user;
    localStorage.setItem(storageKey, s.refreshToken);
    listeners.started();
  }

  /** Drops the tokens in memory (the stored one is another tab's business). */
  function forget() {
    epoch++;
    Object.assign(state, { accessToken: null, expiresAt: 0, user: null });
    listeners.forgotten();
  }

  function end() {
    forget();
    localStorage.removeItem(storageKey);
    listeners.ended();
  }

  /**
   * Exchanges the stored refresh token for new tokens; resolves to whether that worked. A
   * refresh token works once (a second use signs that sign-in out everywhere), so callers share
   * one request and tabs take turns, each reading the token only once it holds the lock.
   */
  function refresh() {
    refreshing ||= withLock(lockName, async () => {
      const at = epoch;
      const token = storedToken();
      if (!token) return false;
      const data = await client.request(REFRESH_MUTATION, { refreshToken: token }, { locale: locale(), auth: false });
      if (at !== epoch) return false;
      const { session: s, errors } = data.refreshSession;
      if (s) start(s);
      else if (errors.some((e) => SESSION_GONE.includes(e.code))) end();
      return !!s;
    })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  async function signOut() {
    if (refreshing) await refreshing;
    const token = storedToken();
    end();
    if (token) await client.request(SIGN_OUT_MUTATION, { refreshToken: token }, { locale: locale(), auth: false }).catch(() => {});
  }

  return {
    state,
    storageKey,
    /** Whether a sign-in is kept (a refresh token is stored). */
    signedIn: () => !!storedToken(),
    fresh: () => !!state.accessToken && Date.now() < state.expiresAt - 30_000,
    token: () => state.accessToken,
    refresh,
    start,
    forget,
    end,
    signOut,
    on(handlers) {
      Object.assign(listeners, handlers);
    },
  };
}
