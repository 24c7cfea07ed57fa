// Duties and import taxes on storefront pages: what the checkout quote and the order say of
// them, shown per line and in total, charged now or estimated for the carrier at the door.

import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { MONEY, totalsRow } from "./money.js";

/** The GraphQL fields of a checkout quote's `customs`. */
export const CUSTOMS_FIELDS = `customs {
  domestic regime basis incoterm
  charges { kind name variantId rate amount { ${MONEY} } chargedNow }
  dutyNow { ${MONEY} } importTaxNow { ${MONEY} } dutyAtDoor { ${MONEY} } importTaxAtDoor { ${MONEY} }
  unknown { kind variantId reason message }
}`;

/** The GraphQL fields of an order's duties and taxes. */
export const ORDER_CUSTOMS_FIELDS = `incoterm customsRegime dutyTotal { ${MONEY} } importTaxTotal { ${MONEY} }
  charges { kind name lineId rate amount { ${MONEY} } chargedNow }`;

const zero = (money) => !money || Number(money.amount) === 0;

function chargeLabel(charge, lineName) {
  const rate = charge.rate != null ? ` ${Number(charge.rate).toLocaleString()} %` : "";
  return [`${charge.name}${rate}`, lineName || t("wholeParcel")].join(" · ");
}

function chargeRows(charges, nameOf) {
  return h("ul", { class: "customs-charges" }, charges.map((c) =>
    h("li", { class: `customs-charge${c.chargedNow ? " is-now" : " is-door"}` },
      h("span", { class: "line-name" }, chargeLabel(c, nameOf(c)),
        h("span", { class: "row-note" }, c.chargedNow ? t("chargedNow") : t("payOnDelivery"))),
      h("span", { class: "summary-line-total" }, c.amount.formatted))));
}

/** Totals rows of the duties and taxes in an amounts object (charged now only). */
export function customsTotalsRows(duty, importTax) {
  return [
    zero(duty) ? null : totalsRow(t("duties"), duty.formatted),
    zero(importTax) ? null : totalsRow(t("importTaxes"), importTax.formatted),
  ];
}

/** The checkout's block of duties and taxes, before payment; null until a destination. */
export function checkoutCustoms(customs, lines) {
  if (!customs) return null;
  if (customs.domestic) return h("p", { class: "fine-print customs-none" }, t("noCustoms"));
  const names = new Map(lines.map((l) => [l.variant.id, l.productName]));
  const atDoor = [customs.dutyAtDoor, customs.importTaxAtDoor].filter((m) => !zero(m));
  return h("section", { class: "customs-summary", "aria-labelledby": "customs-title" },
    h("h3", { class: "customs-title", id: "customs-title" }, t("dutiesAndTaxes")),
    customs.regime ? h("p", { class: "row-note customs-regime" }, t("customsRegime", { regime: customs.regime }),
      customs.incoterm ? ` · ${t(`incoterm.${customs.incoterm}`)}` : "") : null,
    customs.charges.length ? chargeRows(customs.charges, (c) => names.get(c.variantId)) : null,
    atDoor.length
      ? h("dl", { class: "totals" }, totalsRow(t("atDoorTotal"),
          atDoor.length === 2 ? `${customs.dutyAtDoor.formatted} + ${customs.importTaxAtDoor.formatted}` : atDoor[0].formatted))
      : null,
    customs.unknown.length
      ? h("p", { class: "form-alert customs-unknown", role: "note" }, t("customsUnknown"),
          h("span", { class: "row-note" }, [...new Set(customs.unknown.map((u) => u.message))].join(" ")))
      : null);
}

/** The order page's block of duties and taxes as the order keeps them. */
export function orderCustoms(order) {
  if (!order.charges?.length) return null;
  const names = new Map((order.lines || []).map((l) => [l.id, l.name]));
  return h("section", { class: "customs-summary", "aria-labelledby": "order-customs-title" },
    h("h3", { class: "customs-title", id: "order-customs-title" }, t("dutiesAndTaxes")),
    order.customsRegime ? h("p", { class: "row-note customs-regime" }, t("customsRegime", { regime: order.customsRegime }),
      order.incoterm ? ` · ${t(`incoterm.${order.incoterm}`)}` : "") : null,
    chargeRows(order.charges, (c) => names.get(c.lineId)));
}
