// The home screen: today's and this month's orders and revenue, the last 30 days' revenue,
// orders waiting to ship, low-stock alerts and new orders as they arrive. Each block is shown
// only to a member holding the permission its query needs (REPORTS, ORDERS, INVENTORY).

import { h } from "../../lib/dom.js";
import { countryName, t } from "../../lib/i18n.js";
import { can, gql, live } from "../api.js";
import { chartWithFigures } from "../charts.js";
import { addMessages } from "../messages.js";
import { href } from "../routes.js";
import { age, dateTime, money, number, plainAmount, shortDay, timeZone, today } from "../ui/format.js";
import { badge, kpi, pageHead, panel, state } from "../ui/page.js";

addMessages({
  en: {
    "home.today": "Today",
    "home.month": "This month",
    "home.orders": "Orders",
    "home.revenue": "Revenue",
    "home.ordersNote": "{n} orders",
    "home.revenueChart": "Revenue, last 30 days",
    "home.day": "Day",
    "home.toShip": "Waiting to ship",
    "home.toShipCount": "{n} orders to ship",
    "home.noneToShip": "Every paid order has shipped.",
    "home.allToShip": "All orders to ship",
    "home.lowStock": "Low stock",
    "home.noLowStock": "No variant is running low.",
    "home.available": "{n} left (threshold {threshold})",
    "home.newOrders": "New orders",
    "home.waitingForOrders": "New orders appear here as they are placed.",
    "home.failed": "Could not be loaded: {message}",
    "home.nothing": "Nothing to show with your permissions.",
  },
  zh: {
    "home.today": "今日",
    "home.month": "本月",
    "home.orders": "订单数",
    "home.revenue": "销售额",
    "home.ordersNote": "{n} 笔订单",
    "home.revenueChart": "近 30 天销售额",
    "home.day": "日期",
    "home.toShip": "待发货",
    "home.toShipCount": "{n} 笔订单待发货",
    "home.noneToShip": "已付款订单均已发货。",
    "home.allToShip": "查看全部待发货订单",
    "home.lowStock": "库存预警",
    "home.noLowStock": "暂无库存不足的商品。",
    "home.available": "剩余 {n} 件（预警值 {threshold}）",
    "home.newOrders": "新订单",
    "home.waitingForOrders": "有新订单时会实时显示在这里。",
    "home.failed": "加载失败：{message}",
    "home.nothing": "您的权限下暂无可显示的内容。",
  },
});

const FIGURES = "orderCount revenue { amount currency } daily { date orders revenue { amount currency } }";

const STATS = `query HomeStatistics($today: Date!, $monthStart: Date!, $from30: Date!, $tz: String!) {
  today: orderStatistics(from: $today, to: $today, timezone: $tz) { statistics { ${FIGURES} } errors { code message } }
  month: orderStatistics(from: $monthStart, to: $today, timezone: $tz) { statistics { orderCount revenue { amount currency } } errors { code message } }
  last30: orderStatistics(from: $from30, to: $today, timezone: $tz) { statistics { ${FIGURES} } errors { code message } }
}`;

const ORDER_FIELDS = "id number status placedAt total { amount currency } totalInShopCurrency { amount currency } shippingAddress { fullName country }";

const TO_SHIP = `query HomeToShip {
  orders(filter: {statuses: [PENDING_SHIPMENT]}, sortBy: {field: PLACED_AT, direction: ASC}, first: 5) {
    totalCount nodes { ${ORDER_FIELDS} }
  }
}`;

const NEW_ORDERS = `subscription HomeNewOrders {
  newOrders { kind number status at order { ${ORDER_FIELDS} } }
}`;

const LOW_STOCK = `query HomeLowStock {
  lowStockAlerts(open: true, first: 8) {
    totalCount nodes { id threshold available createdAt variant { id sku name product { name } } }
  }
}`;

const LOW_STOCK_LIVE = `subscription HomeLowStockLive {
  lowStockAlerts { id threshold available createdAt variant { id sku name product { name } } }
}`;

function monthStart() {
  return `${today().slice(0, 8)}01`;
}

function failed(err) {
  return state(t("home.failed", { message: err.message }), { error: true });
}

/** A short order row linking to its page. */
function orderRow(order) {
  const place = order.shippingAddress?.country ? countryName(order.shippingAddress.country) : "";
  return h("li", { class: "home-order", dataset: { number: order.number } },
    h("a", { href: href("orders", [order.id]) }, order.number),
    h("span", { class: "muted" }, [order.shippingAddress?.fullName, place].filter(Boolean).join(" · ")),
    h("span", { class: "num" }, money(order.total)),
    badge(order.status),
    h("span", { class: "muted", title: dateTime(order.placedAt) }, age(order.placedAt)));
}

function alertRow(alert) {
  const v = alert.variant;
  return h("li", { class: "home-alert", dataset: { sku: v?.sku || "" } },
    h("span", {}, v ? `${v.product?.name || ""} · ${v.sku}` : "—"),
    h("span", { class: "muted" }, t("home.available", { n: number(alert.available), threshold: number(alert.threshold) })),
    h("span", { class: "muted", title: dateTime(alert.createdAt) }, age(alert.createdAt)));
}

async function figures(ctx, blocks, destroyers) {
  const tz = timeZone();
  const data = await gql(STATS, { today: today(), monthStart: monthStart(), from30: today(-29), tz });
  if (!ctx.current()) return;
  const todayStats = data.today.statistics;
  const monthStats = data.month.statistics;
  const series = data.last30.statistics;
  blocks.kpis.replaceChildren(
    kpi(`${t("home.today")} · ${t("home.orders")}`, number(todayStats.orderCount), null, { dataset: { kpi: "today-orders" } }),
    kpi(`${t("home.today")} · ${t("home.revenue")}`, money(todayStats.revenue), null, { dataset: { kpi: "today-revenue" } }),
    kpi(`${t("home.month")} · ${t("home.orders")}`, number(monthStats.orderCount), null, { dataset: { kpi: "month-orders" } }),
    kpi(`${t("home.month")} · ${t("home.revenue")}`, money(monthStats.revenue), null, { dataset: { kpi: "month-revenue" } }));
  const currency = series.revenue.currency;
  const rows = series.daily.map((d) => ({ date: d.date, orders: d.orders, revenue: d.revenue.amount }));
  for (const destroy of destroyers.splice(0)) destroy();
  const chart = chartWithFigures({
    title: `${t("home.revenueChart")} (${currency})`,
    chart: { kind: "days", x: rows.map((r) => r.date), series: [{ label: `${t("home.revenue")} (${currency})`, values: rows.map((r) => Number(r.revenue)), format: (v) => plainAmount(v) }] },
    table: {
      columns: [
        { key: "date", label: t("home.day"), format: (v) => shortDay(v) },
        { key: "orders", label: t("home.orders"), numeric: true, format: number },
        { key: "revenue", label: `${t("home.revenue")} (${currency})`, numeric: true, format: (v) => plainAmount(v) },
      ],
      rows,
    },
    csvName: `revenue-${rows[0]?.date}-${rows.at(-1)?.date}.csv`,
    attrs: { dataset: { chart: "home-revenue" } },
  });
  destroyers.push(chart.destroy);
  blocks.chart.replaceChildren(chart.element);
}

async function toShip(ctx, block) {
  const data = await gql(TO_SHIP);
  if (!ctx.current()) return;
  const { totalCount, nodes } = data.orders;
  block.replaceChildren(
    h("p", { class: "home-count", dataset: { count: String(totalCount) } }, t("home.toShipCount", { n: number(totalCount) })),
    nodes.length ? h("ul", { class: "home-list" }, nodes.map(orderRow)) : state(t("home.noneToShip")),
    totalCount > nodes.length ? h("a", { href: href("orders", [], { status: "PENDING_SHIPMENT" }) }, t("home.allToShip")) : null);
}

async function lowStock(ctx, block, list) {
  const data = await gql(LOW_STOCK);
  if (!ctx.current()) return;
  const { nodes } = data.lowStockAlerts;
  list.replaceChildren(...nodes.map(alertRow));
  block.replaceChildren(nodes.length ? list : state(t("home.noLowStock")));
}

export async function show(view, ctx) {
  const sections = [];
  const destroyers = [];
  ctx.onLeave(() => destroyers.splice(0).forEach((d) => d()));
  const tasks = [];
  const guard = (promise, block) => tasks.push(promise.catch((err) => ctx.current() && block.replaceChildren(failed(err))));

  let refreshFigures = () => {};
  if (can("REPORTS")) {
    const blocks = { kpis: h("div", { class: "kpis", dataset: { block: "figures" } }, state(t("loading"))), chart: h("div", {}) };
    sections.push(blocks.kpis, panel(null, blocks.chart, { attrs: { class: "panel home-chart" } }));
    refreshFigures = () => guard(figures(ctx, blocks, destroyers), blocks.kpis);
    refreshFigures();
  }
  let refreshToShip = () => {};
  const columns = h("div", { class: "columns home-columns" });
  if (can("ORDERS")) {
    const block = h("div", { dataset: { block: "to-ship" } }, state(t("loading")));
    columns.append(panel(t("home.toShip"), block));
    refreshToShip = () => guard(toShip(ctx, block), block);
    refreshToShip();
  }
  if (can("INVENTORY")) {
    const block = h("div", { dataset: { block: "low-stock" } }, state(t("loading")));
    const list = h("ul", { class: "home-list" });
    columns.append(panel(t("home.lowStock"), block));
    guard(lowStock(ctx, block, list), block);
    live(LOW_STOCK_LIVE, {}, (data) => {
      if (!ctx.current()) return;
      if (!data) return guard(lowStock(ctx, block, list), block);
      const alert = data.lowStockAlerts;
      list.querySelector(`[data-sku="${CSS.escape(alert.variant?.sku || "")}"]`)?.remove();
      list.prepend(alertRow(alert));
      block.replaceChildren(list);
    }, ctx.onLeave);
  }
  if (can("ORDERS")) {
    const list = h("ul", { class: "home-list", dataset: { block: "new-orders" } });
    const empty = state(t("home.waitingForOrders"));
    columns.append(panel(t("home.newOrders"), [empty, list]));
    live(NEW_ORDERS, {}, (data) => {
      if (!ctx.current()) return;
      if (!data) {
        refreshToShip();
        refreshFigures();
        return;
      }
      const change = data.newOrders;
      if (!change.order) return;
      const shown = list.querySelector(`[data-number="${CSS.escape(change.number)}"]`);
      if (shown) shown.replaceWith(orderRow(change.order));
      else if (change.kind === "PLACED") list.prepend(orderRow(change.order));
      while (list.children.length > 8) list.lastChild.remove();
      empty.hidden = list.children.length > 0;
      // Figures and the shipping queue move with every order: read them again.
      refreshFigures();
      refreshToShip();
    }, ctx.onLeave);
  }
  if (columns.children.length) sections.push(columns);
  view.replaceChildren(pageHead(t("nav.home")), ...(sections.length ? sections : [state(t("home.nothing"))]));
  await Promise.all(tasks);
}
