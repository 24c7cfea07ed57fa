// The checkout: contact, shipping address, shipping method, points and store credit, priced
// again by the API as they change, and placing the order (once, whatever the retries) with
// the refusals explained next to what they concern.

import { fill, h, markChecked } from "../lib/dom.js";
import { busy, clearErrors, field, formValues, input, showErrors } from "../lib/forms.js";
import { GraphQLFailure } from "../lib/graphql.js";
import { countryName, plural, t, uiLocale } from "../lib/i18n.js";
import { navigate, rerender } from "../lib/router.js";
import { ADDRESS_FIELDS, ADDRESS_NAMES, addressFields, defaultCountry } from "../shop/address.js";
import { chosenCurrency, gql, mutate, signedIn } from "../shop/api.js";
import { CART, ORDER_ERRORS, QUOTE_FIELDS, cartToken, forgetCartToken, lineThumb, loadCart, setCartCount } from "../shop/cart.js";
import { chooseCurrency, pricesShownIn, quoteRateNotice, renderCurrencySelect, shopCurrency } from "../shop/currency.js";
import { CUSTOMS_FIELDS, checkoutCustoms } from "../shop/customs.js";
import { MONEY, isZero, negative, rateText, totalsList, totalsRow } from "../shop/money.js";
import {
  ORDER_FIELDS, checkoutDraft, forgetDraft, keepOrderToken, keepPlacedOrder, rememberOrderEmail, saveDraft,
} from "../shop/orders.js";
import { orderHref, pageHref } from "../shop/routes.js";
import { errorBox, loadingBlock, panel } from "../shop/ui.js";

const CHECKOUT_ME = `query CheckoutMe { me { id email pointsBalance addresses { ${ADDRESS_FIELDS} } } }`;
const SHIPPING_CHOICE = `serviceId carrierName serviceName level minDays maxDays price { ${MONEY} }`;
const QUOTE_QUERY = `
query CheckoutQuote($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    quote { ${QUOTE_FIELDS} shippingOptions { ${SHIPPING_CHOICE} } ${CUSTOMS_FIELDS}
            storeCredit { available { ${MONEY} } applied { ${MONEY} } amountDue { ${MONEY} } } }
    ${ORDER_ERRORS}
  }
}`;
const PLACE_ORDER = `mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { order { ${ORDER_FIELDS} } orderAccessToken ${ORDER_ERRORS} } }`;

/** "2–4 business days · by 28 Nov" */
function deliveryEstimate(minDays, maxDays) {
  const days = minDays === maxDays ? plural("businessDays", maxDays) : t("businessDaysRange", { min: minDays, max: maxDays });
  const by = new Date();
  for (let left = maxDays; left > 0;) {
    by.setDate(by.getDate() + 1);
    if (by.getDay() !== 0 && by.getDay() !== 6) left--;
  }
  return `${days} · ${t("arrivesBy", { date: new Intl.DateTimeFormat(uiLocale, { weekday: "short", day: "numeric", month: "short" }).format(by) })}`;
}

/** The return policy a line is bought under; a final-sale line stands out. */
function returnsNote(policy) {
  if (!policy) return null;
  return policy.finalSale
    ? h("span", { class: "line-returns is-final-sale" }, h("strong", {}, policy.summary))
    : h("span", { class: "line-returns" }, policy.summary);
}

export async function showCheckout(view, state, current) {
  document.title = `${t("checkout")} · Tradewind`;
  fill(view, loadingBlock());
  let quote;
  let me = null;
  try {
    [quote, me] = await Promise.all([loadCart(), signedIn() ? gql(CHECKOUT_ME, {}, uiLocale).then((d) => d.me) : null]);
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showCheckout(view, state, current)));
    return;
  }
  if (!current()) return;
  if (!quote || !quote.lines.length) return navigate(pageHref("cart", state));
  renderCheckout(view, state, current, quote, me);
}

function renderCheckout(view, state, current, cartQuote, me) {
  const draft = checkoutDraft();
  const saved = me?.addresses.find((a) => a.isDefault) || me?.addresses[0];
  const address = { country: defaultCountry(), ...(saved || {}), ...(draft.address || {}) };
  let serviceId = draft.serviceId || null;
  let quote = null;
  let quoteSeq = 0;
  let timer = 0;

  const shippingBox = h("div", { class: "field ship-options", role: "radiogroup", "aria-labelledby": "panel-shipping" });
  const linesBox = h("ul", { class: "summary-lines" });
  const totalsBox = h("div", { class: "summary-totals", "aria-live": "polite" });
  const alertBox = h("div", { class: "summary-alerts" });
  const placeButton = h("button", { type: "submit", class: "button button-wide place-order" }, t("placeOrder"));
  const creditBox = h("div", { class: "store-credit" });
  const useCredit = h("input", { type: "checkbox", name: "useStoreCredit", checked: draft.useStoreCredit !== false });
  const creditWanted = () => !!me && useCredit.checked && !isZero(quote?.storeCredit?.applied);
  const pointsInput = me
    ? input({ name: "points", type: "number", min: 0, max: me.pointsBalance, step: 1, value: draft.points || 0, inputmode: "numeric", disabled: me.pointsBalance <= 0 })
    : null;

  const form = h("form", { class: "checkout", novalidate: false },
    h("h1", { class: "page-title" }, t("checkout")),
    h("div", { class: "checkout-grid" },
      h("div", { class: "checkout-main" },
        panel("contact", t("contact"),
          me
            ? h("p", { class: "muted" }, t("orderingAs", { email: me.email || "" }))
            : [
                field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true, value: draft.email || "" }),
                  { hint: t("emailHint") }),
                h("p", { class: "muted" }, t("haveAccount"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn"))),
              ]),
        panel("address", t("shippingAddress"),
          h("div", { class: "form-grid" }, addressFields(address, { section: "shipping", phoneHint: t("phoneForCarrier") }))),
        panel("shipping", t("shippingMethod"), shippingBox),
        me
          ? panel("points", t("pointsTitle"),
              field(t("pointsToRedeem"), pointsInput, { hint: t("pointsBalance", { points: plural("points", me.pointsBalance) }) }))
          : null,
        me ? creditBox : null),
      h("aside", { class: "summary panel", "aria-labelledby": "summary-title" },
        h("h2", { class: "panel-title", id: "summary-title" }, t("orderSummary")),
        linesBox, totalsBox, alertBox,
        h("div", { class: "form-actions" }, placeButton),
        h("p", { class: "fine-print" }, t("payAfterPlacing")))));

  const destination = () => {
    const v = formValues(form);
    return v.country ? { country: v.country, region: v.region || "", postalCode: v.postalCode || "" } : null;
  };
  const points = () => (pointsInput ? Math.max(0, Math.floor(Number(pointsInput.value) || 0)) : 0);
  const summaryAlert = (...children) => {
    const el = h("div", { class: "form-alert", role: "alert", tabindex: "-1" }, children);
    alertBox.append(el);
    return el;
  };

  function renderShipping() {
    const dest = destination();
    if (!quote || !dest?.country) {
      fill(shippingBox, h("p", { class: "muted" }, t("shippingNeedsAddress")));
      return;
    }
    const options = quote.shippingOptions;
    if (!options.length) {
      fill(shippingBox, h("p", { class: "muted" }, t("noShipping", { country: countryName(dest.country) })));
      return;
    }
    fill(shippingBox, h("p", { class: "muted" }, t("shippingTo", { place: [dest.postalCode, countryName(dest.country)].filter(Boolean).join(", ") })),
      options.map((o) =>
      h("label", { class: `ship-option${o.serviceId === serviceId ? " is-selected" : ""}` },
        h("input", {
          type: "radio",
          name: "shippingServiceId",
          value: o.serviceId,
          checked: o.serviceId === serviceId,
          required: true,
          onchange: () => {
            serviceId = o.serviceId;
            saveDraft({ serviceId });
            markChecked(shippingBox, ".ship-option", "shippingServiceId");
            requote();
          },
        }),
        h("span", { class: "ship-name" }, h("span", {}, h("strong", {}, o.carrierName), ` · ${o.serviceName}`),
          h("span", { class: "row-note" }, deliveryEstimate(o.minDays, o.maxDays))),
        h("span", { class: "ship-price" }, o.price.formatted))));
  }

  /** "Use store credit (¥1,200 available)", once the quote shows credit in its currency. */
  function renderCredit() {
    const credit = quote?.storeCredit;
    if (!me || !credit || isZero(credit.available)) {
      creditBox.replaceChildren();
      return;
    }
    if (!creditBox.firstChild) {
      useCredit.onchange = () => {
        saveDraft({ useStoreCredit: useCredit.checked });
        renderSummary();
      };
      creditBox.append(panel("store-credit", t("storeCredit"),
        h("label", { class: "check" }, useCredit, h("span", { class: "credit-label" }))));
    }
    creditBox.querySelector(".credit-label").textContent = t("useStoreCredit", { amount: credit.available.formatted });
  }

  function renderSummary() {
    const q = quote || cartQuote;
    fill(linesBox, q.lines.map((line) =>
      h("li", { class: `summary-line${line.inStock ? "" : " is-short"}` },
        lineThumb(line),
        h("span", { class: "line-name" }, line.productName,
          h("span", { class: "row-note" }, [line.variant.name, `× ${line.quantity.toLocaleString(uiLocale)}`].filter(Boolean).join(" ")),
          line.inStock ? null : h("span", { class: "line-warning" },
            line.available > 0 ? t("onlyAvailable", { n: line.available.toLocaleString(uiLocale) }) : t("soldOutLine")),
          returnsNote(line.returnPolicy)),
        h("span", { class: "summary-line-total" }, line.lineTotal.formatted))));
    if (!quote) {
      fill(totalsBox, totalsList(cartQuote.amounts, { totalLabel: t("totalBeforeShipping") }));
      return;
    }
    const shopCode = quote.shopAmounts.total.currency;
    const shopTotal = quote.currency !== shopCode
      ? h("p", { class: "fine-print" }, t("shopTotal", { total: quote.shopAmounts.total.formatted }), h("br"), rateText(quote.rate, shopCode))
      : null;
    fill(totalsBox,
      totalsList(quote.amounts, { shipping: !!serviceId, points: quote.pointsRedeemed, totalLabel: serviceId ? t("total") : t("totalBeforeShipping") }),
      creditWanted()
        ? h("dl", { class: "totals credit-totals" },
            totalsRow(t("storeCreditApplied"), negative(quote.storeCredit.applied), " is-discount"),
            totalsRow(t("leftToPay"), quote.storeCredit.amountDue.formatted, " is-total"))
        : null,
      quote.couponCode && !quote.couponProblem ? h("p", { class: "fine-print" }, t("couponApplied", { code: quote.couponCode })) : null,
      quote.couponProblem
        ? h("p", { class: "field-error" }, t("couponNotApplied", { code: quote.couponCode || "" }), " ", quote.couponProblem.message)
        : null,
      checkoutCustoms(quote.customs, quote.lines),
      shopTotal,
      quoteRateNotice(quote));
    placeButton.disabled = !serviceId || !quote.allInStock;
  }

  /** Prices the cart for the address, shipping choice and points as they stand. */
  async function requote() {
    if (!current()) return;
    const seq = ++quoteSeq;
    clearErrors(shippingBox.closest(".panel"));
    if (pointsInput) clearErrors(pointsInput.closest(".panel"));
    form.setAttribute("aria-busy", "true");
    const quoteInput = {
      cartToken: cartToken(),
      currency: chosenCurrency(),
      destination: destination(),
      shippingServiceId: serviceId,
      points: points(),
    };
    let data;
    try {
      data = await gql(QUOTE_QUERY, { input: quoteInput }, uiLocale);
    } catch (err) {
      if (seq !== quoteSeq || !current()) return;
      form.removeAttribute("aria-busy");
      alertBox.replaceChildren();
      summaryAlert(h("p", {}, err.message), h("button", { type: "button", class: "link-button", onclick: requote }, t("retry")));
      placeButton.disabled = true;
      return;
    }
    if (seq !== quoteSeq || !current()) return;
    form.removeAttribute("aria-busy");
    const { quote: q, errors } = data.checkoutQuote;
    if (errors.some((e) => e.code === "SHIPPING_UNAVAILABLE") && serviceId) {
      // The service chosen does not go to the new address: choose again.
      serviceId = null;
      saveDraft({ serviceId });
      return requote();
    }
    if (errors.length) {
      const loose = errors.filter((e) => e.field?.[0] !== "points");
      if (pointsInput && loose.length < errors.length) showErrors(pointsInput.closest(".panel"), errors.filter((e) => !loose.includes(e)), { focus: false });
      alertBox.replaceChildren();
      if (loose.length) summaryAlert(loose.map((e) => h("p", {}, problemText(e))), currencyChoice(loose));
      placeButton.disabled = true;
      return;
    }
    quote = q;
    pricesShownIn(q.currency);
    setCartCount(q.itemCount);
    alertBox.replaceChildren();
    if (!q.lines.length) return navigate(pageHref("cart", state));
    if (serviceId && !q.shippingOptions.some((o) => o.serviceId === serviceId)) serviceId = null;
    renderShipping();
    renderCredit();
    renderSummary();
    if (!q.allInStock) summaryAlert(h("p", {}, t("fixLines")), h("a", { href: pageHref("cart", state) }, t("reviewCart")));
  }

  const requoteSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(requote, 400);
  };

  form.addEventListener("input", (e) => {
    const v = formValues(form);
    saveDraft({
      email: v.email || "",
      address: Object.fromEntries(ADDRESS_NAMES.map((name) => [name, v[name] || ""])),
      points: points(),
    });
    if (["postalCode", "region", "points"].includes(e.target.name)) requoteSoon();
  });
  form.addEventListener("change", (e) => {
    if (["country", "postalCode", "region", "points"].includes(e.target.name)) requoteSoon();
  });

  form.onsubmit = async (e) => {
    e.preventDefault();
    clearErrors(form);
    alertBox.replaceChildren();
    if (!serviceId || !quote) {
      showErrors(form, [{ field: ["shippingServiceId"], message: t("chooseShipping") }]);
      return;
    }
    const v = formValues(form);
    const shippingAddress = Object.fromEntries(ADDRESS_NAMES.map((name) => [name, v[name] || null]));
    // One key per attempt: a retry after an unanswered request sends the same one, so the
    // order cannot be placed twice; once the API has answered, the next attempt is a new one.
    const idempotencyKey = checkoutDraft().idempotencyKey || crypto.randomUUID();
    saveDraft({ idempotencyKey });
    const orderInput = {
      idempotencyKey,
      cartToken: cartToken(),
      email: me ? null : v.email,
      shippingAddress,
      shippingServiceId: serviceId,
      currency: chosenCurrency(),
      points: points(),
      expectedTotal: quote.amounts.total.amount,
      useStoreCredit: creditWanted(),
      expectedStoreCredit: creditWanted() ? quote.storeCredit.applied.amount : null,
    };
    const done = busy(form);
    placeButton.textContent = t("placing");
    let data;
    try {
      data = await gql(PLACE_ORDER, { input: orderInput }, uiLocale);
    } catch (err) {
      const answered = err instanceof GraphQLFailure && err.errors.length > 0;
      if (answered) saveDraft({ idempotencyKey: null });
      summaryAlert(h("p", {}, answered ? err.message : t("placeUnanswered")), h("p", { class: "row-note" }, answered ? "" : err.message)).focus();
      return;
    } finally {
      done();
      placeButton.textContent = t("placeOrder");
    }
    saveDraft({ idempotencyKey: null });
    const { order, errors, orderAccessToken } = data.placeOrder;
    if (order) return orderPlaced(order, state, orderAccessToken);
    // Another tab or click placed this cart already: show that order instead.
    const won = errors.find((e) => e.code === "CART_ALREADY_ORDERED" && e.orderNumber);
    if (won) return orderPlaced({ number: won.orderNumber, email: me ? me.email : v.email }, state, null, false);
    await placeProblems(errors);
  };

  /** The typed refusals of `placeOrder`: next to their fields, or in the summary with a way out. */
  async function placeProblems(errors) {
    const byCode = (...codes) => errors.filter((e) => codes.includes(e.code));
    const special = ["PRICE_CHANGED", "STORE_CREDIT_INSUFFICIENT", "OUT_OF_STOCK", "COUPON_INVALID", "CURRENCY_NOT_ENABLED", "RATE_STALE", "RATE_UNAVAILABLE", "CART_EMPTY", "CART_CHANGED"];
    const rest = errors.filter((e) => !special.includes(e.code));
    if (byCode("CART_EMPTY").length) return navigate(pageHref("cart", state));
    if (errors.some((e) => special.includes(e.code))) {
      await requote();
      alertBox.replaceChildren(); // said again below, with the way out
    }
    let first = null;
    if (byCode("PRICE_CHANGED").length) {
      first = summaryAlert(h("p", {}, quote ? t("priceChanged", { total: quote.amounts.total.formatted }) : byCode("PRICE_CHANGED")[0].message));
    }
    const credit = byCode("STORE_CREDIT_INSUFFICIENT");
    if (credit.length) first ||= summaryAlert(credit.map((e) => h("p", {}, e.message)));
    // The cart changed (another tab) while the order was placed: the summary shows it now.
    const changed = byCode("CART_CHANGED");
    if (changed.length) first ||= summaryAlert(changed.map((e) => h("p", {}, e.message)));
    const stock = byCode("OUT_OF_STOCK");
    if (stock.length) {
      first ||= summaryAlert(stock.map((e) => h("p", {}, e.message)), h("a", { href: pageHref("cart", state) }, t("reviewCart")));
    }
    const coupon = byCode("COUPON_INVALID");
    if (coupon.length) {
      first ||= summaryAlert(coupon.map((e) => h("p", {}, e.message)),
        h("button", {
          type: "button",
          class: "link-button",
          onclick: async (e) => {
            if (await mutate(e.currentTarget.closest(".form-alert"), CART.coupon, { input: { cartToken: cartToken(), code: null } })) requote();
          },
        }, t("removeCoupon")));
    }
    const rate = byCode("CURRENCY_NOT_ENABLED", "RATE_STALE", "RATE_UNAVAILABLE");
    if (rate.length) first ||= summaryAlert(rate.map((e) => h("p", {}, problemText(e))), currencyChoice(rate));
    if (rest.length) showErrors(form, rest.map((e) => ({ ...e, field: e.field?.[0] === "lines" ? null : e.field })), { focus: !first });
    first?.focus();
  }

  /** A button to pay in the shop currency when the chosen one cannot be charged now. */
  function currencyChoice(errors) {
    const shop = shopCurrency();
    if (!shop || !errors.some((e) => e.field?.[0] === "currency") || chosenCurrency() === shop) return null;
    return h("button", {
      type: "button",
      class: "link-button",
      onclick: () => {
        chooseCurrency(shop);
        renderCurrencySelect();
        rerender();
      },
    }, t("payInCurrency", { currency: shop }));
  }

  fill(view, form);
  renderShipping();
  renderSummary();
  requote();
}

/** A payload error in words: the currency refusals explained, the rest as the API put them. */
function problemText(e) {
  if (e.code === "RATE_STALE") return t("rateStaleCheckout", { currency: chosenCurrency() || "" });
  if (e.code === "CURRENCY_NOT_ENABLED" || e.code === "RATE_UNAVAILABLE") return t("currencyUnavailable", { currency: chosenCurrency() || "" });
  return e.message;
}

function orderPlaced(order, state, accessToken = null, placedHere = true) {
  rememberOrderEmail(order.number, order.email);
  // A guest reads the order again with its access token; without one (placed in another
  // tab), by number and email, which tells where it is: keep the order as placed for this tab.
  if (accessToken) keepOrderToken(order.number, accessToken);
  else if (!signedIn() && placedHere) keepPlacedOrder(order);
  forgetDraft();
  forgetCartToken();
  setCartCount(0);
  navigate(orderHref(order.number, state, placedHere));
}
