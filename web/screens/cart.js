// The cart page: its lines with quantity steppers, the coupon, and the totals before
// shipping; after each change it is drawn again from the API's answer.

import { append, fill, h } from "../lib/dom.js";
import { field, formActions, formValues, input } from "../lib/forms.js";
import { plural, t, uiLocale } from "../lib/i18n.js";
import { mutate } from "../shop/api.js";
import { CART, cartToken, inChosenCurrency, lineThumb, loadCart, setCartCount } from "../shop/cart.js";
import { pricesShownIn, quoteRateNotice } from "../shop/currency.js";
import { totalsList } from "../shop/money.js";
import { listHref, pageHref, productHref } from "../shop/routes.js";
import { backLink, errorBox, loadingBlock } from "../shop/ui.js";

function lineName(line, state) {
  const slug = line.variant.product?.slug;
  return h("span", { class: "line-name" },
    slug ? h("a", { href: productHref(slug, state) }, line.productName) : line.productName,
    line.variant.name ? h("span", { class: "row-note" }, line.variant.name) : null);
}

export async function showCart(view, state, current) {
  document.title = `${t("cart")} · Tradewind`;
  fill(view, loadingBlock());
  let quote;
  try {
    quote = await loadCart();
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showCart(view, state, current)));
    return;
  }
  if (current()) renderCart(view, state, quote);
}

/** The cart page; after a change it is drawn again from the answer, focus kept on `focus`. */
function renderCart(view, state, quote, focus = null) {
  setCartCount(quote?.itemCount || 0);
  if (quote) pricesShownIn(quote.currency);
  if (!quote || !quote.lines.length) {
    fill(view, h("div", { class: "cart" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("cart")),
      h("div", { class: "empty" },
        h("p", { class: "empty-title" }, t("cartEmpty")),
        h("a", { class: "button", href: listHref(state) }, t("continueShopping")))));
    if (focus) view.querySelector("h1").focus();
    return;
  }
  const change = async (root, query, variables, nextFocus) => {
    const payload = await mutate(root, query, variables);
    if (payload?.cart) renderCart(view, state, await inChosenCurrency(payload.cart.quote), nextFocus);
  };
  const short = quote.lines.filter((line) => !line.inStock).length;
  fill(view, h("div", { class: "cart" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("cart"), h("span", { class: "page-count" }, plural("items", quote.itemCount))),
    h("div", { class: "cart-grid" },
      h("section", { class: "cart-main", "aria-label": t("cartLines") },
        h("ul", { class: "cart-lines" }, quote.lines.map((line) => cartLine(line, state, change))),
        backLink(listHref(state), t("continueShopping"))),
      h("aside", { class: "summary panel", "aria-labelledby": "summary-title" },
        h("h2", { class: "panel-title", id: "summary-title" }, t("orderSummary")),
        couponForm(quote, change),
        totalsList(quote.amounts, { totalLabel: t("totalBeforeShipping") }),
        h("p", { class: "fine-print" }, t("shippingAtCheckout")),
        quoteRateNotice(quote),
        short ? h("p", { class: "form-alert", role: "alert" }, t("fixLines")) : null,
        short
          ? h("button", { type: "button", class: "button button-wide", disabled: true }, t("checkout"))
          : h("a", { class: "button button-wide", href: pageHref("checkout", state) }, t("checkout"))))));
  const target = focus === "coupon" ? view.querySelector(".coupon-form input, .coupon-form button")
    : focus ? view.querySelector(`[data-variant="${CSS.escape(focus)}"] .qty-input`) || view.querySelector("h1")
      : null;
  target?.focus();
}

function cartLine(line, state, change) {
  const v = line.variant;
  const item = h("li", { class: `cart-line${line.inStock ? "" : " is-short"}`, dataset: { variant: v.id } });
  const set = (quantity) =>
    change(item, CART.update, { input: { cartToken: cartToken(), variantId: v.id, quantity } }, quantity > 0 ? v.id : "removed");
  const name = line.variant.name ? `${line.productName} (${line.variant.name})` : line.productName;
  const qty = h("input", {
    class: "input qty-input",
    type: "number",
    min: 0,
    max: Math.max(line.available, line.quantity),
    value: line.quantity,
    inputmode: "numeric",
    "aria-label": t("quantityOf", { name }),
    onchange: (e) => {
      const n = Math.max(0, Math.floor(Number(e.target.value)));
      if (Number.isFinite(n) && n !== line.quantity) set(n);
    },
  });
  const step = (delta, label, symbol, disabled = false) =>
    h("button", { type: "button", class: "step", "aria-label": label, disabled, onclick: () => set(line.quantity + delta) }, symbol);
  append(item, [
    lineThumb(line),
    h("div", { class: "cart-line-main" },
      lineName(line, state),
      h("span", { class: "row-note" }, `${t("sku")}: ${v.sku} · ${line.unitPrice.formatted}`),
      line.inStock ? null
        : h("p", { class: "line-warning" }, line.available > 0 ? t("onlyAvailable", { n: line.available.toLocaleString(uiLocale) }) : t("soldOutLine"))),
    h("div", { class: "cart-line-qty" },
      h("div", { class: "stepper" },
        step(-1, t("decrease", { name }), "−"),
        qty,
        step(1, t("increase", { name }), "+", line.quantity >= line.available)),
      h("button", { type: "button", class: "link-button is-danger", "aria-label": t("removeLine", { name }), onclick: () => set(0) }, t("delete"))),
    h("span", { class: "cart-line-total" }, line.lineTotal.formatted),
  ]);
  return item;
}

function couponForm(quote, change) {
  const form = h("form", { class: "coupon-form" });
  const apply = (code) => change(form, CART.coupon, { input: { cartToken: cartToken(), code } }, "coupon");
  form.onsubmit = (e) => {
    e.preventDefault();
    const { code } = formValues(form);
    if (code) apply(code);
  };
  if (quote.couponCode) {
    const problem = quote.couponProblem;
    fill(form,
      h("p", { class: `coupon-applied${problem ? " has-problem" : ""}` },
        h("span", {}, t(problem ? "couponNotApplied" : "couponApplied", { code: quote.couponCode })),
        h("button", { type: "button", class: "link-button", onclick: () => apply(null) }, t("removeCoupon"))),
      problem ? h("p", { class: "field-error", role: "alert" }, problem.message) : null);
  } else {
    fill(form,
      field(t("couponLabel"), input({ name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", required: true })),
      formActions(h("button", { type: "submit", class: "button button-secondary" }, t("apply"))));
  }
  return form;
}
