// An order's duties and import taxes on its console page: the regime and Incoterm, and each
// charge with its line, rate and whether it was charged with the order or is the carrier's
// estimated collection at the door.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { panel } from "../../ui/page.js";
import { money } from "../../ui/format.js";

/** The order's fields this block reads (added to the page's order query). */
export const CUSTOMS_FIELDS = `
  incoterm customsRegime
  dutyTotal { amount currency } dutyTotalInShopCurrency { amount currency }
  importTaxTotal { amount currency } importTaxTotalInShopCurrency { amount currency }
  charges { kind name lineId regime basis rate chargedNow
            amount { amount currency } amountInShopCurrency { amount currency } }`;

/** The totals rows of the duties and taxes charged with the order (none when nothing was). */
export function customsTotals(o) {
  return [
    [t("orders.duties"), o.dutyTotal, o.dutyTotalInShopCurrency],
    [t("orders.importTaxes"), o.importTaxTotal, o.importTaxTotalInShopCurrency],
  ].filter(([, paid]) => paid && Number(paid.amount));
}

/** The charges panel; null for an order without any (domestic, or placed before customs). */
export function customsPanel(o) {
  if (!o.charges?.length) return null;
  const skus = new Map(o.lines.map((l) => [l.id, l.sku]));
  const note = [o.customsRegime, o.incoterm].filter(Boolean).join(" · ");
  return panel(t("orders.customs"), [
    note ? h("p", { class: "muted order-customs-regime" }, note) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "data order-charges" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("orders.charge")),
        h("th", { scope: "col" }, t("orders.sku")),
        h("th", { scope: "col" }, t("orders.collected")),
        h("th", { scope: "col", class: "num" }, t("orders.amount")))),
      h("tbody", {}, o.charges.map((c) => h("tr", { dataset: { kind: c.kind } },
        h("td", {}, c.rate != null ? `${c.name} ${c.rate} % (${c.basis.toUpperCase()})` : c.name),
        h("td", {}, c.lineId ? h("span", { class: "mono" }, skus.get(c.lineId) || "") : t("orders.wholeParcel")),
        h("td", {}, c.chargedNow ? t("orders.chargedNow") : t("orders.atDoor")),
        h("td", { class: "num" }, money(c.amount))))))),
  ]);
}
