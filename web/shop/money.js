// Money on storefront pages: reductions, rows of totals, and the exchange rate an amount in
// another currency was converted at.

import { h } from "../lib/dom.js";
import { formatDay, plural, t, uiLocale } from "../lib/i18n.js";

/** The GraphQL fields of a Money. */
export const MONEY = "amount currency formatted";

export const amountNumber = (money) => (money ? Number(money.amount) : NaN);

/** The reduction from `compareAt` to `price` in whole percent; 0 when there is none. */
export function discountPercent(price, compareAt) {
  const p = amountNumber(price);
  const c = amountNumber(compareAt);
  if (!(c > p) || !(p >= 0)) return 0;
  return Math.round((1 - p / c) * 100);
}

export const negative = (money) => `−${money.formatted}`;
export const isZero = (money) => !money || Number(money.amount) === 0;

export const totalsRow = (label, value, extra = "") =>
  h("div", { class: `totals-row${extra}` }, h("dt", {}, label), h("dd", {}, value));

/** Rows of figures: subtotal, the discounts that apply, shipping (when asked) and the total. */
export function totalsList(amounts, { shipping = false, totalLabel = t("total"), points = 0 } = {}) {
  return h("dl", { class: "totals" },
    totalsRow(t("subtotal"), amounts.subtotal.formatted),
    isZero(amounts.memberDiscount) ? null : totalsRow(t("memberDiscount"), negative(amounts.memberDiscount), " is-discount"),
    isZero(amounts.couponDiscount) ? null : totalsRow(t("couponDiscount"), negative(amounts.couponDiscount), " is-discount"),
    isZero(amounts.pointsDiscount) ? null
      : totalsRow(points ? t("pointsDiscountN", { points: plural("points", points) }) : t("pointsDiscount"), negative(amounts.pointsDiscount), " is-discount"),
    shipping ? totalsRow(t("shipping"), amounts.shipping.formatted) : null,
    // Duties and import taxes charged at checkout (DDP, or VAT/GST at the point of sale).
    isZero(amounts.duty) ? null : totalsRow(t("duties"), amounts.duty.formatted),
    isZero(amounts.importTax) ? null : totalsRow(t("importTaxes"), amounts.importTax.formatted),
    totalsRow(totalLabel, amounts.total.formatted, " is-total"));
}

/** "1 USD = 156.5792 JPY · rate of 24 Nov 2026" */
export function rateText(rate, shopCode) {
  if (!rate || rate.source === "shop" || rate.currency === shopCode) return "";
  const value = Number(rate.rate).toLocaleString(uiLocale, { maximumFractionDigits: 4 });
  const text = `1 ${shopCode} = ${value} ${rate.currency}`;
  return rate.rateDate ? t("rateOf", { rate: text, date: formatDay(rate.rateDate) }) : text;
}
