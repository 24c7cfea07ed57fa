// The storefront's state in the URL hash, and the links that carry it: the product list's
// search, filters and sort, the page language, and the addresses of the other pages.

import { LOCALE_CODES } from "./locales.js";

export const SORTS = {
  // Offered only while searching: the best matches first.
  relevance: { field: "RELEVANCE", direction: "DESC" },
  newest: { field: "LISTED_AT", direction: "DESC" },
  "price-asc": { field: "PRICE", direction: "ASC" },
  "price-desc": { field: "PRICE", direction: "DESC" },
  bestselling: { field: "SALES", direction: "DESC" },
  rating: { field: "RATING", direction: "DESC" },
  name: { field: "NAME", direction: "ASC" },
};
/** The sort a list has when none is asked for: the best matches of a search, else the newest. */
export const defaultSort = (q) => (q ? "relevance" : "newest");
/** The sorts the list offers: relevance only with a search. */
export const sortsFor = (q) => Object.keys(SORTS).filter((key) => key !== "relevance" || q);

/**
 * #/?q=..&sort=..&lang=..&cat=<slug>&brand=<slug>,<slug>&origin=JP,IT&price=<min>-<max>&stock=1
 * #/product/<slug>?<the same list state, so "back" keeps the filters>
 * #/sign-in, #/register, #/forgot-password, #/account, #/cart, #/checkout (?lang=.. only)
 * #/order/<number>?lang=..&placed=1 (placed: just placed, say thank you)
 * #/chat/<conversation number>?lang=..&token=.. (from an email: the list, with that chat open)
 */
export function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  const params = new URLSearchParams(query);
  const list = (name) => (params.get(name) || "").split(",").map((s) => s.trim()).filter(Boolean);
  const sort = params.get("sort");
  const lang = params.get("lang");
  const q = (params.get("q") || "").trim();
  const state = {
    q,
    sort: sortsFor(q).includes(sort) ? sort : defaultSort(q),
    lang: LOCALE_CODES.includes(lang) ? lang : preferredLocale(),
    langExplicit: LOCALE_CODES.includes(lang),
    cat: params.get("cat") || "",
    brands: list("brand"),
    origins: list("origin").map((c) => c.toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)),
    price: parsePrice(params.get("price")),
    stock: params.get("stock") === "1",
  };
  const match = path.match(/^\/product\/([^/]+)\/?$/);
  if (match) return { route: "product", slug: decodeURIComponent(match[1]), state };
  const order = path.match(/^\/order\/([^/]+)\/?$/);
  if (order) return { route: "order", slug: decodeURIComponent(order[1]), state };
  const chat = path.match(/^\/chat\/([^/]+)\/?$/);
  if (chat) return { route: "chat", slug: decodeURIComponent(chat[1]), token: params.get("token") || null, state };
  const page = path.match(/^\/(sign-in|register|forgot-password|account|cart|checkout)\/?$/);
  if (page) return { route: page[1], state };
  return { route: "list", state };
}

function parsePrice(value) {
  const m = /^(\d+(?:\.\d+)?)?-(\d+(?:\.\d+)?)?$/.exec(value || "");
  if (!m || (!m[1] && !m[2])) return null;
  return { min: m[1] || null, max: m[2] || null };
}

function preferredLocale() {
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (LOCALE_CODES.includes(base)) return base;
  }
  return "en";
}

/** The query string of a list state; defaults are left out. */
export function serialize(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.cat) p.set("cat", state.cat);
  if (state.brands.length) p.set("brand", state.brands.join(","));
  if (state.origins.length) p.set("origin", state.origins.join(","));
  if (state.price) p.set("price", `${state.price.min || ""}-${state.price.max || ""}`);
  if (state.stock) p.set("stock", "1");
  if (state.sort !== defaultSort(state.q)) p.set("sort", state.sort);
  if (state.langExplicit) p.set("lang", state.lang);
  return p.toString().replace(/%2C/g, ",");
}

export const listHref = (state) => {
  const qs = serialize(state);
  return qs ? `#/?${qs}` : "#/";
};
export const productHref = (slug, state) => {
  const qs = serialize(state);
  return `#/product/${encodeURIComponent(slug)}${qs ? `?${qs}` : ""}`;
};
export const pageHref = (page, state) => `#/${page}${state.langExplicit ? `?lang=${state.lang}` : ""}`;
/**
 * The state with `changes`. A new search keeps a sort the shopper chose, but a default sort
 * follows the search: relevance while searching, newest without.
 */
export const withState = (state, changes) => {
  const next = { ...state, ...changes };
  if (!("sort" in changes) && state.sort === defaultSort(state.q)) next.sort = defaultSort(next.q);
  if (!sortsFor(next.q).includes(next.sort)) next.sort = defaultSort(next.q);
  return next;
};
export const toggled = (values, value) =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
export const orderHref = (number, state, placed = false) => {
  const p = new URLSearchParams();
  if (state.langExplicit) p.set("lang", state.lang);
  if (placed) p.set("placed", "1");
  const qs = p.toString();
  return `#/order/${encodeURIComponent(number)}${qs ? `?${qs}` : ""}`;
};

/** The list state without search and filters (sort and language kept). */
export const clearedState = (state) => withState(state, { q: "", cat: "", brands: [], origins: [], price: null, stock: false });
