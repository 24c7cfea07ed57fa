// A GraphQL client for the public API, shared by every app on this site: queries and
// mutations over HTTP, subscriptions over `graphql-transport-ws`, and typed failures.
// It keeps no app state: the app gives it extra headers and, for signed-in calls, an `auth`
// object (see `createClient`), such as the session of ./session.js.
//
// Documents go as persisted queries (Apollo's protocol): their SHA-256 hash first, queries
// with GET (so browsers and CDNs can keep shared answers and revalidate them) and mutations
// with POST; the server knows this site's documents by hash (its trusted documents), and
// answers `PersistedQueryNotFound` for any other, which is then sent once with its text.
// Without `crypto.subtle` (a plain-http page on a host other than localhost) documents go
// as text with POST, as before.

/** A request that failed: GraphQL `errors` (each with `extensions.code`), or no usable answer. */
export class GraphQLFailure extends Error {
  constructor(message, errors = []) {
    super(message);
    this.errors = errors;
  }
}

/** The GraphQL error of `err` with the code `code` (`extensions.code`), if any. */
export const errorWithCode = (err, code) =>
  err instanceof GraphQLFailure ? err.errors.find((e) => e.extensions?.code === code) || null : null;

/** Whether a failure is a GraphQL error with the code `code`. */
export const hasCode = (err, code) => !!errorWithCode(err, code);

/** The longest GET URL sent; a longer request (large variables) goes with POST. */
const MAX_GET_URL = 2000;

const hashes = new Map(); // document -> Promise of its SHA-256 in hex, or null

/** The persisted-query hash of a document (SHA-256 of its UTF-8 text, hex); null without Web Crypto. */
export function documentHash(query) {
  if (!globalThis.crypto?.subtle) return Promise.resolve(null);
  let hash = hashes.get(query);
  if (!hash) {
    hash = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(query))
      .then((digest) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""))
      .catch(() => null);
    hashes.set(query, hash);
  }
  return hash;
}

/** Whether a document is a query (may go with GET): mutations never may. */
const isQuery = (query) => /^\s*(query\b|\{)/.test(query);

/** Whether the server does not know a hash (the protocol's message or code). */
const notFound = (body) =>
  (body?.errors || []).some((e) => e.message === "PersistedQueryNotFound" || e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND");

/** Whether an answer treated the caller as anonymous. */
const looksSignedOut = (body) =>
  !!body &&
  ((body.errors || []).some((e) => e.extensions?.code === "UNAUTHENTICATED") ||
    (!!body.data && "me" in body.data && body.data.me === null));

/**
 * A client of the endpoint. `headers()` gives headers for every request (the app's
 * preferences). `auth`, when set (`useAuth`), is the sign-in the calls are made with:
 * `signedIn()` whether one is kept, `fresh()` whether its access token is still good,
 * `token()` the access token, `refresh()` a new access token, resolving to whether that worked.
 */
export function createClient({ endpoint = "/graphql", headers = () => ({}) } = {}) {
  let auth = null;

  /**
   * One request to the endpoint: `params` ({query, variables, extensions}) as a GET's URL
   * when `get` is set and the URL is short enough, else as a POST's body. `body` is null
   * when the answer is not JSON.
   */
  async function call(params, { get, locale, token }) {
    const requestHeaders = {
      Accept: "application/json",
      // Money.formatted follows the request's locale (Accept-Language), not the
      // `locale` argument: send both so prices and text agree.
      ...(locale ? { "Accept-Language": locale } : {}),
      ...headers(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    };
    let url = null;
    if (get) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) if (value != null) search.set(name, JSON.stringify(value));
      url = `${endpoint}?${search}`;
      if (url.length > MAX_GET_URL) url = null;
    }
    let response;
    try {
      response = await (url
        ? fetch(url, { method: "GET", headers: requestHeaders })
        : fetch(endpoint, {
            method: "POST",
            headers: { ...requestHeaders, "Content-Type": "application/json" },
            body: JSON.stringify(params),
          }));
    } catch (err) {
      throw new GraphQLFailure(`Network error: ${err.message}`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      /* not JSON */
    }
    return { ok: response.ok, status: response.status, statusText: response.statusText, body };
  }

  /** Sends a document by its hash, then with its text if the server does not know the hash. */
  async function send(query, variables, locale, token) {
    const hash = await documentHash(query);
    if (!hash) return call({ query, variables }, { get: false, locale, token });
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    const response = await call({ variables, extensions }, { get: isQuery(query), locale, token });
    if (!notFound(response.body)) return response;
    return call({ query, variables, extensions }, { get: false, locale, token });
  }

  /**
   * Runs a query; resolves to its `data`, or rejects with a GraphQLFailure. Signed in, it sends
   * the access token, refreshing it first when it has run out (or on page load, when only the
   * refresh token is kept); when the server still treats the caller as anonymous
   * (`UNAUTHENTICATED`, or `me` null) it refreshes once more and retries. `auth: false` sends
   * no token (the session mutations themselves).
   */
  async function request(query, variables, { locale = null, auth: withAuth = true } = {}) {
    const signing = withAuth && !!auth;
    let refreshed = false;
    if (signing && auth.signedIn() && !auth.fresh()) {
      refreshed = true;
      await auth.refresh();
    }
    let response = await send(query, variables, locale, signing ? auth.token() : null);
    if (signing && !refreshed && auth.signedIn() && looksSignedOut(response.body) && (await auth.refresh()))
      response = await send(query, variables, locale, auth.token());
    const { body } = response;
    if (body && Array.isArray(body.errors) && body.errors.length) {
      throw new GraphQLFailure(body.errors.map((e) => e.message).join("\n"), body.errors);
    }
    if (!response.ok || !body || !body.data) {
      throw new GraphQLFailure(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    return body.data;
  }

  const SUBSCRIPTION_ID = "1";

  /**
   * One subscription over the `graphql-transport-ws` protocol, kept alive. The access token goes
   * in `connection_init` (browsers cannot set headers on a WebSocket). The server ends the stream
   * when that token expires: the client then reconnects with a fresh token, and after any
   * dropped connection with backoff. `onData` gets each event's data, and null after a
   * reconnection (events may have been missed meanwhile); `onRefused` is called when the API
   * will not stream to this viewer, and nothing is retried then. `anonymous`: the operation
   * carries its own proof (a guest's order-access token), and no token is sent. Returns `{stop}`.
   */
  function subscribe(query, variables, { onData, onState = () => {}, onRefused = () => {}, anonymous = false }) {
    const url = new URL(endpoint, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    let socket = null;
    let stopped = false;
    let failures = 0;
    let timer = 0;
    let connectedBefore = false;
    let freshToken = false; // the next connection must not use the token in hand

    async function connect() {
      timer = 0;
      if (stopped) return;
      if (!anonymous) {
        if (auth && (freshToken || !auth.fresh())) await auth.refresh();
        freshToken = false;
        if (stopped) return;
        if (!auth?.token()) return onRefused();
      }
      const ws = new WebSocket(url, "graphql-transport-ws");
      // The API answers in text frames; binary ones are read too, as other servers send them.
      ws.binaryType = "arraybuffer";
      const opened = Date.now();
      socket = ws;
      const send = (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message));
      // The server must acknowledge in time; otherwise start over.
      const ackTimer = setTimeout(() => ws.close(4408, "Connection acknowledgement timeout"), 10_000);
      ws.onopen = () => send({ type: "connection_init", payload: anonymous ? {} : { authorization: `Bearer ${auth.token()}` } });
      ws.onmessage = (e) => {
        let message;
        try {
          message = JSON.parse(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data));
        } catch {
          return ws.close(4400, "Invalid message");
        }
        switch (message.type) {
          case "connection_ack":
            clearTimeout(ackTimer);
            send({ id: SUBSCRIPTION_ID, type: "subscribe", payload: { query, variables } });
            onState("live");
            if (connectedBefore) onData(null);
            connectedBefore = true;
            break;
          case "ping":
            send({ type: "pong" });
            break;
          case "next":
            if (message.id !== SUBSCRIPTION_ID) break;
            failures = 0;
            onData(message.payload?.data || null);
            break;
          case "error": {
            if (message.id !== SUBSCRIPTION_ID) break;
            const errors = Array.isArray(message.payload) ? message.payload : [];
            if (errors.some((x) => ["UNAUTHENTICATED", "TOKEN_EXPIRED"].includes(x.extensions?.code))) {
              freshToken = true;
              ws.close(1000, "Normal Closure");
            } else {
              stop();
              onRefused(errors);
            }
            break;
          }
          case "complete":
            // The stream ended: the token it was opened with expired, or its time ran out.
            if (message.id !== SUBSCRIPTION_ID) break;
            freshToken = true;
            if (Date.now() - opened > 60_000) failures = 0;
            ws.close(1000, "Normal Closure");
            break;
          default:
            break;
        }
      };
      ws.onclose = (e) => {
        clearTimeout(ackTimer);
        if (socket === ws) socket = null;
        if (stopped) return;
        if (e.code === 4401 || e.code === 4403) freshToken = true;
        onState("reconnecting");
        const delay = Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
        failures++;
        timer = setTimeout(connect, delay);
      };
    }

    function stop() {
      stopped = true;
      clearTimeout(timer);
      if (socket?.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ id: SUBSCRIPTION_ID, type: "complete" }));
        socket.close(1000, "Normal Closure");
      } else socket?.close();
      socket = null;
    }

    connect();
    return { stop };
  }

  return {
    request,
    subscribe,
    /** Signs the calls with `signIn` from now on (null: anonymous). */
    useAuth(signIn) {
      auth = signIn;
    },
  };
}
