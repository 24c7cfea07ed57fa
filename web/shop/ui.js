// Pieces of storefront pages used by several screens: which view shows, loading and error
// blocks, panels and cards, links back, the rating stars.

import { $, h } from "../lib/dom.js";
import { plural, t, uiLocale } from "../lib/i18n.js";

const VIEWS = ["list-view", "detail-view", "page-view"];

/** Shows one of the page's views (the product list, a product, the other pages), hides the rest. */
export function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
}

export function errorBox(err, retry) {
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("strong", {}, t("error")),
    h("pre", { class: "error-message" }, err && err.message ? err.message : String(err)),
    retry ? h("button", { type: "button", class: "button", onclick: retry }, t("retry")) : null
  );
}

/** Grey lines where a page will be, announced as loading. */
export function loadingBlock(className = "page-loading") {
  return h("div", { class: className, role: "status" },
    h("div", { class: "skeleton skeleton-title" }), h("div", { class: "skeleton skeleton-line wide" }),
    h("div", { class: "skeleton skeleton-line" }), h("span", { class: "visually-hidden" }, t("loading")));
}

export function panel(id, title, ...children) {
  return h("section", { class: "panel", "aria-labelledby": `panel-${id}` },
    h("h2", { class: "panel-title", id: `panel-${id}` }, title), children);
}

/** The narrow card of the sign-in pages and of the order lookup. */
export function authCard(title, ...children) {
  return h("section", { class: "auth", "aria-labelledby": "auth-title" },
    h("h1", { class: "auth-title", id: "auth-title" }, title), children);
}

/** "← label", back to `href`. */
export const backLink = (href, label) =>
  h("a", { class: "back-link", href }, h("span", { "aria-hidden": "true" }, "← "), label);

export function rating(avg, count, compact = false) {
  const value = Math.max(0, Math.min(5, Number(avg) || 0));
  const label = `${value.toLocaleString(uiLocale, { maximumFractionDigits: 1 })} / 5 · ${plural("reviews", count)}`;
  return h("p", { class: `rating${compact ? " rating-compact" : ""}`, title: label },
    h("span", { class: "stars", style: `--rating:${value}`, "aria-hidden": "true" }),
    h("span", { class: "visually-hidden" }, label),
    h("span", { class: "rating-text", "aria-hidden": "true" },
      compact ? `${value.toFixed(1)} (${count.toLocaleString(uiLocale)})`
        : `${value.toFixed(1)} · ${plural("reviews", count)}`)
  );
}
