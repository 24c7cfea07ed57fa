// The storefront's connection to the API: one GraphQL client, the shopper's session, and the
// currency prices are asked in (sent with every request, as the cart mutations take none).

import { runMutation } from "../lib/forms.js";
import { createClient } from "../lib/graphql.js";
import { uiLocale } from "../lib/i18n.js";
import { createSession } from "../lib/session.js";
import { readText } from "../lib/storage.js";
import { uploadFiles } from "../lib/upload.js";

// The currency chosen in the header, kept in localStorage. Until one is chosen the API
// decides (the member's profile, else the shop's).
export const CURRENCY_KEY = "tradewind.currency";

/** The currency to ask prices in; null leaves it to the API. */
export const chosenCurrency = () => readText(CURRENCY_KEY) || null;

const ENDPOINT = "/graphql";

export const client = createClient({
  endpoint: ENDPOINT,
  // The cart mutations take no currency argument: they price in this one.
  headers: () => (chosenCurrency() ? { "X-Currency": chosenCurrency() } : {}),
});

export const session = createSession(client, {
  storageKey: "tradewind.refreshToken",
  lockName: "tradewind-refresh",
  locale: () => uiLocale,
});
client.useAuth(session);

export const signedIn = () => session.signedIn();

/** Runs a query in `locale` (the language of names and of formatted money). */
export const gql = (query, variables, locale, { auth = true } = {}) => client.request(query, variables, { locale, auth });

/** Runs a mutation for a form or panel (see `runMutation`); its payload, or null. */
export const mutate = (root, query, variables = {}) => runMutation(root, () => gql(query, variables, uiLocale));

/**
 * Sends files with a mutation (see `uploadFiles`), signed in (unless `auth` is false), in the
 * page's language; resolves to its data. `onProgress(fraction)` hears how much has gone.
 */
export const upload = (query, variables, files, onProgress, { auth = true } = {}) =>
  uploadFiles(ENDPOINT, query, variables, files, { headers: { "Accept-Language": uiLocale }, auth: auth ? session : null, onProgress });
