// The page header: language, currency and sort selects, the search form, the filters toggle,
// the account menu and the cart link, and the page's static texts in its language.

import { $, fill, h } from "../lib/dom.js";
import { setLocale, t } from "../lib/i18n.js";
import { navigate, rerender } from "../lib/router.js";
import { session, signedIn } from "./api.js";
import { renderCartLink } from "./cart.js";
import { chooseCurrency, renderCurrencySelect } from "./currency.js";
import { LOCALES } from "./locales.js";
import { listHref, orderHref, pageHref, parseHash, productHref, sortsFor, withState } from "./routes.js";

/** Wires the header's controls; `onCurrencyChange` runs before the page is drawn in a newly chosen currency. */
export function setupHeader({ onCurrencyChange = () => {} } = {}) {
  const localeSelect = $("locale-select");
  for (const [code, name] of LOCALES) localeSelect.append(h("option", { value: code }, name));
  localeSelect.addEventListener("change", () => {
    const { route: r, slug, state } = parseHash();
    const next = withState(state, { lang: localeSelect.value, langExplicit: true });
    navigate(r === "product" ? productHref(slug, next) : r === "order" ? orderHref(slug, next)
      : r === "list" ? listHref(next) : pageHref(r, next));
  });

  $("currency-select").addEventListener("change", (e) => {
    chooseCurrency(e.target.value);
    onCurrencyChange(); // prices are per currency
    const { route: r, state } = parseHash();
    // A price filter is in the list's currency: it means nothing in another.
    if (r === "list" && state.price) navigate(listHref(withState(state, { price: null })));
    else rerender();
  });

  $("sort-select").addEventListener("change", (e) => {
    const { state } = parseHash();
    navigate(listHref(withState(state, { sort: e.target.value })));
  });

  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const { state } = parseHash();
    const q = $("search-input").value.trim();
    navigate(listHref(withState(state, { q })));
    $("search-input").blur();
  });

  $("filters-toggle").addEventListener("click", () => {
    const open = !document.body.classList.contains("filters-open");
    document.body.classList.toggle("filters-open", open);
    $("filters-toggle").setAttribute("aria-expanded", String(open));
  });

  // The account menu closes on Escape and on a click elsewhere.
  document.addEventListener("keydown", (e) => {
    const menu = $("account-menu");
    if (e.key === "Escape" && menu && !menu.hidden) toggleAccountMenu(false, true);
  });
  document.addEventListener("click", (e) => {
    if (!$("account-nav").contains(e.target)) toggleAccountMenu(false);
  });
}

/** The header and the page's static texts in the language of `state`. */
export function applyChrome(state) {
  setLocale(state.lang);
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]"))
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  for (const el of document.querySelectorAll("[data-i18n-aria]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAria));

  $("locale-select").value = state.lang;
  const sortSelect = $("sort-select");
  sortSelect.replaceChildren(
    ...sortsFor(state.q).map((key) => h("option", { value: key }, t(`sort.${key}`)))
  );
  sortSelect.value = state.sort;
  if (document.activeElement !== $("search-input")) $("search-input").value = state.q;
  $("home-link").setAttribute("href", state.langExplicit ? `#/?lang=${state.lang}` : "#/");
  $("load-more").textContent = t("loadMore");
  renderAccountNav();
  renderCurrencySelect();
  renderCartLink();
}

export function renderAccountNav() {
  const nav = $("account-nav");
  const { state } = parseHash();
  if (!signedIn()) {
    fill(nav, h("a", { class: "account-button", href: pageHref("sign-in", state) },
      h("span", { class: "account-icon", "aria-hidden": "true" }), h("span", { class: "account-name" }, t("signIn"))));
    return;
  }
  const user = session.state.user;
  const button = h("button", {
    type: "button",
    class: "account-button",
    "aria-expanded": "false",
    "aria-controls": "account-menu",
    onclick: () => toggleAccountMenu(),
  },
  h("span", { class: "account-icon", "aria-hidden": "true" }),
  h("span", { class: "account-name" }, (user && (user.nickname || user.email || user.phone)) || t("myAccount")),
  h("span", { class: "account-caret", "aria-hidden": "true" }));
  const menu = h("ul", { class: "account-menu", id: "account-menu", hidden: true },
    h("li", {}, h("a", { href: pageHref("account", state), onclick: () => toggleAccountMenu(false) }, t("myAccount"))),
    h("li", {}, h("button", {
      type: "button",
      onclick: async () => {
        toggleAccountMenu(false);
        await session.signOut();
        if (parseHash().route === "account") navigate(listHref(parseHash().state));
      },
    }, t("signOut"))));
  fill(nav, button, menu);
}

function toggleAccountMenu(open, focusButton = false) {
  const button = $("account-nav").querySelector("button.account-button");
  const menu = $("account-menu");
  if (!button || !menu) return;
  open ??= menu.hidden;
  menu.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  if (open) menu.querySelector("a")?.focus();
  else if (focusButton) button.focus();
}
