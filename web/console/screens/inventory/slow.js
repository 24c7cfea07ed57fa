// Slow movers (`#/inventory/slow`): SKUs with stock and no sale for a chosen number of days,
// the longest idle first, with units sold in the last 90 days and the days of cover they give.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { serverList } from "../../ui/list.js";
import { pageHead, panel } from "../../ui/page.js";
import { date, number } from "../../ui/format.js";
import { tabs } from "./common.js";
import { skuHref } from "./stock.js";

const SLOW = `query InventorySlowMovers($days: Int!, $first: Int, $after: String, $last: Int, $before: String) {
  slowMovingVariants(days: $days, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      variant { id sku name product { name } }
      stockOnHand lastSoldAt daysSinceLastSale unitsSoldLast90Days daysOfCover
    }
  }
}`;

const DEFAULT_DAYS = 30;

function daysOf(params) {
  const days = Number(params.get("days"));
  return Number.isInteger(days) && days >= 1 && days <= 3650 ? days : DEFAULT_DAYS;
}

export function showSlowMovers(view, ctx) {
  const list = serverList({
    ctx,
    label: t("inventory.slow.title"),
    query: SLOW,
    pick: (d) => d.slowMovingVariants,
    variables: (p) => ({ days: daysOf(p) }),
    filters: [{ name: "days", label: t("inventory.slow.days"), type: "number", min: 1, step: 1, placeholder: String(DEFAULT_DAYS) }],
    empty: t("inventory.slow.empty"),
    columns: [
      { label: t("inventory.sku"), cell: (n) => h("a", { href: skuHref(n.variant.sku), class: "inv-sku" }, n.variant.sku) },
      { label: t("inventory.product"), cell: (n) => [n.variant.product?.name || t("inventory.noProduct"), n.variant.name ? h("div", { class: "muted" }, n.variant.name) : null] },
      { label: t("inventory.onHand"), num: true, cell: (n) => number(n.stockOnHand) },
      { label: t("inventory.slow.lastSold"), cell: (n) => (n.lastSoldAt ? date(n.lastSoldAt) : t("inventory.slow.never")) },
      { label: t("inventory.slow.idle"), num: true, cell: (n) => number(n.daysSinceLastSale) },
      { label: t("inventory.slow.sold90"), num: true, cell: (n) => number(n.unitsSoldLast90Days) },
      { label: t("inventory.slow.cover"), num: true, cell: (n) => number(n.daysOfCover === null ? null : Math.round(n.daysOfCover)) },
    ],
    rowHref: (n) => skuHref(n.variant.sku),
  });
  view.replaceChildren(
    pageHead(t("nav.inventory")),
    tabs("slow"),
    panel(t("inventory.slow.title"), [h("p", { class: "field-hint" }, t("inventory.slow.coverHint")), list]));
}
