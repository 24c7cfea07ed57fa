// Stock per SKU (`#/inventory`): the open low-stock alerts, kept current by the live alert
// stream (restocking a SKU clears its alert here at once, whoever did it), with a quick
// receive; and the paged list of every SKU's on hand, reserved and available units,
// searchable and filtered by stock level.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { gql, live, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { button, pageHead, panel, state, toast } from "../../ui/page.js";
import { age, number } from "../../ui/format.js";
import { levelBadge, receiveDialog, tabs, thresholdText } from "./common.js";

const ALERTS = `query InventoryAlerts {
  lowStockAlerts(open: true, first: 50) {
    totalCount
    nodes { id threshold available createdAt variant { id sku name stockAvailable } }
  }
}`;

const ALERT_CHANGES = "subscription InventoryAlertChanges { lowStockAlertChanges { id isOpen } }";

const DISMISS = `mutation InventoryDismissAlert($input: DismissLowStockAlertInput!) {
  dismissLowStockAlert(input: $input) { alert { id isOpen } errors { field code message } }
}`;

export const STOCK = `query InventoryStock($filter: StockLevelFilter, $first: Int, $after: String, $last: Int, $before: String) {
  stockLevels(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      productName level
      variant { id sku name stockOnHand stockReserved stockAvailable lowStockThreshold effectiveLowStockThreshold }
    }
  }
}`;

export const LEVELS = ["LOW_STOCK", "OUT_OF_STOCK", "IN_STOCK"];

export const skuHref = (sku) => href("inventory", ["sku", sku]);

/** The open alerts, drawn again whenever one is raised or resolved. */
function alertsPanel(ctx) {
  const body = h("div", { "aria-live": "polite" }, state(t("loading")));
  const count = h("span", { class: "badge", dataset: { tone: "warn" }, hidden: true });
  const root = panel(t("inventory.alerts"), body, { actions: [count], attrs: { class: "panel inv-alerts", id: "inventory-alerts" } });

  async function load() {
    let conn;
    try {
      conn = (await gql(ALERTS)).lowStockAlerts;
    } catch (err) {
      body.replaceChildren(state(t("inventory.alerts.failed", { message: err.message }), { error: true }));
      return;
    }
    if (!ctx.current()) return;
    count.hidden = !conn.totalCount;
    count.textContent = number(conn.totalCount);
    if (!conn.nodes.length) return body.replaceChildren(h("p", { class: "empty" }, t("inventory.alerts.none")));
    body.replaceChildren(h("ul", { class: "inv-alert-list" }, conn.nodes.map(alertRow)));
  }

  function alertRow(alert) {
    const v = alert.variant;
    const row = h("li", { dataset: { sku: v?.sku || "" } },
      h("div", { class: "inv-alert-what" },
        v ? h("a", { href: skuHref(v.sku) }, v.sku) : "—",
        v?.name ? h("span", { class: "muted" }, ` ${v.name}`) : null,
        h("div", { class: "inv-alert-figures" }, t("inventory.alerts.row", { available: number(v ? v.stockAvailable : alert.available), threshold: number(alert.threshold) }),
          " · ", age(alert.createdAt))),
      h("div", { class: "actions" },
        v ? button(t("inventory.receiveShort"), () => receiveDialog(v), { kind: "small" }) : null,
        button(t("inventory.dismiss"), async () => {
          const done = await mutate(row, DISMISS, { input: { id: alert.id } });
          if (done) toast(t("inventory.dismissed"));
        }, { kind: "quiet" })));
    return row;
  }

  // Any change (or a reconnection, `null`) reads the open alerts again.
  live(ALERT_CHANGES, {}, () => load(), ctx.onLeave);
  load();
  return root;
}

function stockList(ctx) {
  return serverList({
    ctx,
    label: t("inventory.stockList"),
    query: STOCK,
    pick: (d) => d.stockLevels,
    variables: (p) => ({ filter: { search: p.get("q") || null, level: LEVELS.includes(p.get("level")) ? p.get("level") : null } }),
    filters: [
      { name: "q", label: t("search"), type: "search", placeholder: t("inventory.searchHint") },
      { name: "level", label: t("inventory.level"), type: "select", options: LEVELS.map((l) => [l, t(`inventory.level.${l}`)]) },
    ],
    columns: [
      { label: t("inventory.sku"), cell: (n) => h("a", { href: skuHref(n.variant.sku), class: "inv-sku" }, n.variant.sku) },
      { label: t("inventory.product"), cell: (n) => [n.productName, n.variant.name ? h("div", { class: "muted" }, n.variant.name) : null] },
      { label: t("inventory.onHand"), num: true, cell: (n) => number(n.variant.stockOnHand) },
      { label: t("inventory.reserved"), num: true, cell: (n) => number(n.variant.stockReserved) },
      { label: t("inventory.available"), num: true, cell: (n) => number(n.variant.stockAvailable) },
      { label: t("inventory.thresholdShort"), num: true, cell: (n) => thresholdText(n.variant) },
      { label: t("inventory.level"), cell: (n) => levelBadge(n.level) },
    ],
    rowHref: (n) => skuHref(n.variant.sku),
  });
}

export function showStock(view, ctx) {
  view.replaceChildren(
    pageHead(t("nav.inventory")),
    tabs(""),
    h("div", { class: "inv-stock" }, alertsPanel(ctx), panel(t("inventory.stockList"), stockList(ctx))));
}
