// The console's connection to the API: one GraphQL client (the module the storefront uses),
// the staff member's session, who is signed in with which permissions, and the calls every
// screen makes through it: `gql` for reads, `mutate` for a form's mutation, `live` for a
// subscription that stops when the screen is left.

import { runMutation } from "../lib/forms.js";
import { createClient } from "../lib/graphql.js";
import { uiLocale } from "../lib/i18n.js";
import { createSession, SESSION_FIELDS } from "../lib/session.js";
import { uploadFiles } from "../lib/upload.js";

export const client = createClient({ endpoint: "/graphql" });

// Its own key: a merchant may be signed in to the console and, as a shopper, to the storefront.
export const session = createSession(client, {
  storageKey: "tradewind.console.refreshToken",
  lockName: "tradewind-console-refresh",
  locale: () => uiLocale,
});
client.useAuth(session);

export { SESSION_FIELDS };

/** The signed-in staff member: `{id, email, nickname, role, permissions}`, or null. */
export const viewer = { user: null };

const VIEWER_QUERY = "query ConsoleViewer { me { id email phone nickname role permissions } }";

/** Reads who is signed in; resolves to the member, or null when no staff member is. */
export async function loadViewer() {
  viewer.user = null;
  if (!session.signedIn()) return null;
  const { me } = await client.request(VIEWER_QUERY, {}, { locale: uiLocale });
  viewer.user = me && me.role !== "CUSTOMER" ? me : null;
  return viewer.user;
}

export const isAdmin = () => viewer.user?.role === "ADMIN";

/**
 * Whether the member holds a permission (`"ORDERS"`), or any of a list of them. Admins hold
 * every permission; an empty list or null asks for none.
 */
export function can(needs) {
  const wanted = needs ? [needs].flat() : [];
  if (!wanted.length) return !!viewer.user;
  if (isAdmin()) return true;
  const held = viewer.user?.permissions || [];
  return wanted.some((p) => held.includes(p));
}

/** Runs a query in the console's language; resolves to its data or rejects (GraphQLFailure). */
export const gql = (query, variables = {}) => client.request(query, variables, { locale: uiLocale });

/**
 * Runs a mutation for a form or panel (see `runMutation` in lib/forms.js): buttons disabled
 * meanwhile, the payload's errors next to their fields. On success the form's unsaved mark
 * is cleared. Resolves to the payload, or null when it failed (the form keeps what was typed).
 */
export async function mutate(root, query, variables = {}) {
  const payload = await runMutation(root, () => gql(query, variables));
  if (payload) {
    const form = root.closest("form[data-unsaved]") || root.querySelector?.("form[data-unsaved]");
    if (form) delete form.dataset.unsaved;
    if (root.dataset?.unsaved !== undefined) delete root.dataset.unsaved;
  }
  return payload;
}

/**
 * Sends files with a mutation (see `uploadFiles` in lib/upload.js), signed in, in the console's
 * language; resolves to its data. `onProgress(share)` hears how much has gone up (0 to 1).
 */
export const upload = (query, variables, files, onProgress) =>
  uploadFiles("/graphql", query, variables, files, { headers: { "Accept-Language": uiLocale }, auth: session, onProgress });

const liveStates = new Map(); // subscription -> its last state
let showLiveState = () => {};

/** Tells `fn(state)` the state of the live connections: "live", "reconnecting" or null. */
export function onLiveState(fn) {
  showLiveState = fn;
}

function reportLive() {
  const states = [...liveStates.values()];
  showLiveState(states.length ? (states.includes("reconnecting") ? "reconnecting" : "live") : null);
}

/**
 * Subscribes while the screen is shown: `onData(data)` for each event, `onData(null)` after a
 * reconnection (events may have been missed: read again). `leaving(fn)` is the screen
 * context's `onLeave`, which stops the stream when the screen is left.
 */
export function live(query, variables, onData, leaving) {
  const key = {};
  liveStates.set(key, "connecting");
  const sub = client.subscribe(query, variables, {
    onData,
    onState: (state) => {
      liveStates.set(key, state);
      reportLive();
    },
    onRefused: () => {
      liveStates.delete(key);
      reportLive();
    },
  });
  const stop = () => {
    sub.stop();
    liveStates.delete(key);
    reportLive();
  };
  leaving(stop);
  return stop;
}
