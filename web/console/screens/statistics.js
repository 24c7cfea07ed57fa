// The statistics screen: orders and revenue over a chosen range (in the shop currency, days of
// the browser's time zone) as charts: the daily series, destination countries and regions,
// best sellers by units and by revenue, the duties and import taxes charged at checkout per
// import regime; each chart's figures a click away, and a CSV of each. Below them, for staff
// who read reports or answer customers, the customer service figures of the same days:
// totals, then one table per staff member and one per channel.

import { h } from "../../lib/dom.js";
import { countryName, t } from "../../lib/i18n.js";
import { can, gql } from "../api.js";
import { addMessages } from "../messages.js";
import { rangeForm, rangeOf } from "../range.js";
import { day, money, number, percent, plainAmount, shortDay, timeZone } from "../ui/format.js";
import { kpi, pageHead, panel, state } from "../ui/page.js";
import { chartWithFigures, figuresTable } from "../charts.js";
import { STATISTICS_FIELDS, customsChart } from "./money/customs.js";

addMessages({
  en: {
    "statistics.orders": "Orders",
    "statistics.cancelled": "Cancelled",
    "statistics.revenue": "Revenue",
    "statistics.average": "Average order",
    "statistics.items": "Items sold",
    "statistics.daily": "Orders and revenue per day",
    "statistics.byCountry": "Revenue by destination country",
    "statistics.byRegion": "Revenue by destination region",
    "statistics.byUnits": "Best sellers by units",
    "statistics.byRevenue": "Best sellers by revenue",
    "statistics.day": "Day",
    "statistics.country": "Country",
    "statistics.region": "Region",
    "statistics.share": "Share",
    "statistics.product": "Product",
    "statistics.units": "Units",
    "statistics.range": "{from} – {to}, {zone}",
    "statistics.failed": "The statistics could not be loaded: {message}",
    "supportStats.title": "Customer service",
    "supportStats.zone": "Days in {zone}; response and resolution times count service hours only.",
    "supportStats.opened": "Conversations opened",
    "supportStats.resolved": "Resolved",
    "supportStats.firstResponses": "First responses",
    "supportStats.medianFirst": "Median first response",
    "supportStats.p90First": "90% answered within",
    "supportStats.medianResolution": "Median resolution",
    "supportStats.breaches": "Targets missed",
    "supportStats.ratings": "Ratings",
    "supportStats.average": "Average rating",
    "supportStats.byStaff": "Per staff member",
    "supportStats.byChannel": "Per channel",
    "supportStats.staff": "Staff member",
    "supportStats.unassigned": "Unassigned",
    "supportStats.channel": "Channel",
    "supportStats.CHAT": "Chat",
    "supportStats.EMAIL": "Email",
    "supportStats.PHONE": "Phone",
    "supportStats.none": "No conversations in this range.",
    "supportStats.seconds": "{n} s",
    "supportStats.minutes": "{n} min",
    "supportStats.hours": "{h} h {m} min",
    "supportStats.failed": "The customer service figures could not be loaded: {message}",
  },
  zh: {
    "statistics.orders": "订单数",
    "statistics.cancelled": "已取消",
    "statistics.revenue": "销售额",
    "statistics.average": "客单价",
    "statistics.items": "售出件数",
    "statistics.daily": "每日订单与销售额",
    "statistics.byCountry": "按收货国家/地区的销售额",
    "statistics.byRegion": "按收货省/州的销售额",
    "statistics.byUnits": "畅销商品（按件数）",
    "statistics.byRevenue": "畅销商品（按销售额）",
    "statistics.day": "日期",
    "statistics.country": "国家/地区",
    "statistics.region": "省/州",
    "statistics.share": "占比",
    "statistics.product": "商品",
    "statistics.units": "件数",
    "statistics.range": "{from} 至 {to}，{zone}",
    "statistics.failed": "统计数据加载失败：{message}",
    "supportStats.title": "客户服务",
    "supportStats.zone": "日期按时区 {zone} 计算；回复与解决时长仅计服务时间。",
    "supportStats.opened": "新建会话",
    "supportStats.resolved": "已解决",
    "supportStats.firstResponses": "首次回复",
    "supportStats.medianFirst": "首次回复时间中位数",
    "supportStats.p90First": "90% 的会话回复时间不超过",
    "supportStats.medianResolution": "解决时间中位数",
    "supportStats.breaches": "未达服务目标",
    "supportStats.ratings": "评价数",
    "supportStats.average": "平均评分",
    "supportStats.byStaff": "按客服人员",
    "supportStats.byChannel": "按渠道",
    "supportStats.staff": "客服人员",
    "supportStats.unassigned": "未分配",
    "supportStats.channel": "渠道",
    "supportStats.CHAT": "在线聊天",
    "supportStats.EMAIL": "邮件",
    "supportStats.PHONE": "电话",
    "supportStats.none": "此期间没有会话。",
    "supportStats.seconds": "{n} 秒",
    "supportStats.minutes": "{n} 分钟",
    "supportStats.hours": "{h} 小时 {m} 分钟",
    "supportStats.failed": "客户服务数据加载失败：{message}",
  },
});

const MONEY = "{ amount currency }";

const STATISTICS = `query Statistics($from: Date!, $to: Date!, $tz: String!) {
  orderStatistics(from: $from, to: $to, timezone: $tz) {
    statistics {
      from to timezone currency orderCount cancelledCount itemsSold
      revenue ${MONEY} averageOrderValue ${MONEY}
      daily { date orders revenue ${MONEY} }
      byCountry { country orders revenue ${MONEY} share }
      byRegion { country region orders revenue ${MONEY} share }
      topProductsByUnits(limit: 10) { productId name units revenue ${MONEY} }
      topProductsByRevenue(limit: 10) { productId name units revenue ${MONEY} }
      dutyTotal ${MONEY} importTaxTotal ${MONEY}
      ${STATISTICS_FIELDS}
    }
    errors { field code message }
  }
}`;

const SUPPORT_FIGURES = `opened resolved firstResponses medianFirstResponseSeconds
  p90FirstResponseSeconds medianResolutionSeconds breaches ratings averageRating`;

const SUPPORT_STATISTICS = `query SupportStatistics($from: Date!, $to: Date!, $tz: String!) {
  byStaff: supportStatistics(from: $from, to: $to, groupBy: STAFF, timezone: $tz) {
    statistics { timezone totals { ${SUPPORT_FIGURES} } rows { staffEmail figures { ${SUPPORT_FIGURES} } } }
    errors { field code message }
  }
  byChannel: supportStatistics(from: $from, to: $to, groupBy: CHANNEL, timezone: $tz) {
    statistics { rows { channel figures { ${SUPPORT_FIGURES} } } }
    errors { field code message }
  }
}`;

/** A business-time duration in seconds, in words: "45 s", "12 min", "3 h 5 min"; "—" for none. */
function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return t("supportStats.seconds", { n: number(seconds) });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t("supportStats.minutes", { n: number(minutes) });
  return t("supportStats.hours", { h: number(Math.floor(minutes / 60)), m: number(minutes % 60) });
}

/** The customer service panel for a range: its totals, then per staff member and per channel. */
async function supportPanel(range) {
  const attrs = { dataset: { block: "support-statistics" } };
  let data;
  try {
    data = await gql(SUPPORT_STATISTICS, { ...range, tz: timeZone() });
  } catch (err) {
    return panel(t("supportStats.title"), state(t("supportStats.failed", { message: err.message }), { error: true }), { attrs });
  }
  const staff = data.byStaff.statistics;
  const channels = data.byChannel.statistics;
  if (!staff || !channels) {
    const errors = [...data.byStaff.errors, ...data.byChannel.errors];
    return panel(t("supportStats.title"), state(errors.map((e) => e.message).join(" "), { error: true }), { attrs });
  }
  const totals = staff.totals;
  const figure = (key) => (row) => row.figures[key];
  const columns = (first) => [
    first,
    { key: "opened", label: t("supportStats.opened"), numeric: true, format: (v, row) => number(figure("opened")(row)) },
    { key: "resolved", label: t("supportStats.resolved"), numeric: true, format: (v, row) => number(figure("resolved")(row)) },
    { key: "firstResponses", label: t("supportStats.firstResponses"), numeric: true, format: (v, row) => number(figure("firstResponses")(row)) },
    { key: "medianFirst", label: t("supportStats.medianFirst"), numeric: true, format: (v, row) => duration(row.figures.medianFirstResponseSeconds) },
    { key: "p90First", label: t("supportStats.p90First"), numeric: true, format: (v, row) => duration(row.figures.p90FirstResponseSeconds) },
    { key: "medianResolution", label: t("supportStats.medianResolution"), numeric: true, format: (v, row) => duration(row.figures.medianResolutionSeconds) },
    { key: "breaches", label: t("supportStats.breaches"), numeric: true, format: (v, row) => number(row.figures.breaches) },
    { key: "ratings", label: t("supportStats.ratings"), numeric: true, format: (v, row) => number(row.figures.ratings) },
    { key: "average", label: t("supportStats.average"), numeric: true, format: (v, row) => number(row.figures.averageRating) },
  ];
  const table = (name, title, first, rows) =>
    h("div", { dataset: { table: name } }, h("h3", {}, title),
      rows.length ? figuresTable(columns(first), rows, { caption: title }) : state(t("supportStats.none")));
  return panel(t("supportStats.title"), [
    h("p", { class: "muted" }, t("supportStats.zone", { zone: staff.timezone })),
    h("div", { class: "kpis" },
      kpi(t("supportStats.opened"), number(totals.opened), null, { dataset: { kpi: "support-opened" } }),
      kpi(t("supportStats.resolved"), number(totals.resolved), null, { dataset: { kpi: "support-resolved" } }),
      kpi(t("supportStats.medianFirst"), duration(totals.medianFirstResponseSeconds), null, { dataset: { kpi: "support-median-first" } }),
      kpi(t("supportStats.p90First"), duration(totals.p90FirstResponseSeconds)),
      kpi(t("supportStats.medianResolution"), duration(totals.medianResolutionSeconds)),
      kpi(t("supportStats.breaches"), number(totals.breaches), null, { dataset: { kpi: "support-breaches" } }),
      kpi(t("supportStats.average"), number(totals.averageRating), `${t("supportStats.ratings")}: ${number(totals.ratings)}`, { dataset: { kpi: "support-rating" } })),
    h("div", {},
      table("support-staff", t("supportStats.byStaff"),
        { key: "staffEmail", label: t("supportStats.staff"), format: (v) => v || t("supportStats.unassigned") }, staff.rows),
      table("support-channel", t("supportStats.byChannel"),
        { key: "channel", label: t("supportStats.channel"), format: (v) => t(`supportStats.${v}`) }, channels.rows)),
  ], { attrs });
}

const place = (code) => (code ? countryName(code) : "—");

export async function show(view, ctx) {
  const range = rangeOf(ctx.params);
  const body = h("div", { dataset: { block: "statistics" } }, state(t("loading")));
  view.replaceChildren(pageHead(t("nav.statistics")), rangeForm("statistics", range), body);
  const destroyers = [];
  ctx.onLeave(() => destroyers.splice(0).forEach((d) => d()));
  // Asked for alongside the orders; shown below them once both are in.
  const support = can(["REPORTS", "SUPPORT"]) ? supportPanel(range) : Promise.resolve(null);
  let data;
  try {
    data = await gql(STATISTICS, { ...range, tz: timeZone() });
  } catch (err) {
    if (ctx.current()) body.replaceChildren(state(t("statistics.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const { statistics: s, errors } = data.orderStatistics;
  if (!s) {
    body.replaceChildren(state(errors.map((e) => e.message).join(" "), { error: true }));
    return;
  }
  const cur = s.currency;
  const revenueLabel = `${t("statistics.revenue")} (${cur})`;
  const chart = (options) => {
    const made = chartWithFigures(options);
    destroyers.push(made.destroy);
    return made.element;
  };
  const slug = `${s.from}-${s.to}`;

  const daily = s.daily.map((d) => ({ date: d.date, orders: d.orders, revenue: d.revenue.amount }));
  const countries = s.byCountry.map((c) => ({ country: c.country || "", name: place(c.country), orders: c.orders, revenue: c.revenue.amount, share: c.share }));
  const regions = s.byRegion.map((r) => ({ country: r.country || "", region: r.region, name: `${place(r.country)} · ${r.region || "—"}`, orders: r.orders, revenue: r.revenue.amount, share: r.share }));
  const products = (list) => list.map((p) => ({ product: p.name, units: p.units, revenue: p.revenue.amount }));
  const byUnits = products(s.topProductsByUnits);
  const byRevenue = products(s.topProductsByRevenue);

  const revenueColumn = { key: "revenue", label: revenueLabel, csv: `revenue_${cur}`, numeric: true, format: (v) => plainAmount(v) };
  const ordersColumn = { key: "orders", label: t("statistics.orders"), numeric: true, format: number };
  const shareColumn = { key: "share", label: t("statistics.share"), numeric: true, format: (v) => percent(v) };
  const bars = (rows, label, value = "revenue") => ({
    kind: "bars",
    xLabel: t(`statistics.${label}`),
    x: rows.map((r) => r[label]),
    series: [{ label: value === "units" ? t("statistics.units") : revenueLabel, values: rows.map((r) => Number(r[value])), format: value === "units" ? number : (v) => plainAmount(v), axisFormat: value === "units" ? number : undefined }],
  });

  body.replaceChildren(
    h("p", { class: "muted" }, t("statistics.range", { from: day(s.from), to: day(s.to), zone: s.timezone })),
    h("div", { class: "kpis" },
      kpi(t("statistics.orders"), number(s.orderCount), null, { dataset: { kpi: "orders" } }),
      kpi(t("statistics.revenue"), money(s.revenue), null, { dataset: { kpi: "revenue" } }),
      kpi(t("statistics.average"), money(s.averageOrderValue)),
      kpi(t("statistics.items"), number(s.itemsSold)),
      kpi(t("statistics.cancelled"), number(s.cancelledCount)),
      kpi(t("customs.duties"), money(s.dutyTotal), null, { dataset: { kpi: "duties" } }),
      kpi(t("customs.importTaxes"), money(s.importTaxTotal), null, { dataset: { kpi: "import-taxes" } })),
    h("div", { class: "panel" }, chart({
      title: t("statistics.daily"),
      chart: {
        kind: "days",
        x: daily.map((d) => d.date),
        series: [
          { label: revenueLabel, values: daily.map((d) => Number(d.revenue)), format: (v) => plainAmount(v) },
          { label: t("statistics.orders"), values: daily.map((d) => d.orders), format: number, scale: "orders", axisFormat: number },
        ],
      },
      table: { columns: [{ key: "date", label: t("statistics.day"), format: (v) => shortDay(v) }, ordersColumn, revenueColumn], rows: daily },
      csvName: `daily-${slug}.csv`,
      attrs: { dataset: { chart: "daily" } },
    })),
    h("div", { class: "columns" },
      h("div", { class: "panel" }, chart({
        title: t("statistics.byCountry"),
        chart: bars(countries.slice(0, 12), "country"),
        table: { columns: [{ key: "country", label: t("statistics.country"), format: (v) => place(v) }, ordersColumn, revenueColumn, shareColumn], rows: countries },
        csvName: `countries-${slug}.csv`,
        attrs: { dataset: { chart: "countries" } },
      })),
      h("div", { class: "panel" }, chart({
        title: t("statistics.byRegion"),
        chart: bars(regions.slice(0, 12), "region"),
        table: { columns: [{ key: "country", label: t("statistics.country"), format: (v) => place(v) }, { key: "region", label: t("statistics.region") }, ordersColumn, revenueColumn, shareColumn], rows: regions },
        csvName: `regions-${slug}.csv`,
        attrs: { dataset: { chart: "regions" } },
      }))),
    h("div", { class: "columns" },
      h("div", { class: "panel" }, chart({
        title: t("statistics.byUnits"),
        chart: bars(byUnits, "product", "units"),
        table: { columns: [{ key: "product", label: t("statistics.product") }, { key: "units", label: t("statistics.units"), numeric: true, format: number }, revenueColumn], rows: byUnits },
        csvName: `best-sellers-units-${slug}.csv`,
        attrs: { dataset: { chart: "by-units" } },
      })),
      h("div", { class: "panel" }, chart({
        title: t("statistics.byRevenue"),
        chart: bars(byRevenue, "product"),
        table: { columns: [{ key: "product", label: t("statistics.product") }, { key: "units", label: t("statistics.units"), numeric: true, format: number }, revenueColumn], rows: byRevenue },
        csvName: `best-sellers-revenue-${slug}.csv`,
        attrs: { dataset: { chart: "by-revenue" } },
      }))),
    s.customsByRegime.length ? h("div", { class: "panel" }, customs(s.customsByRegime)) : null);
  const supportFigures = await support;
  if (supportFigures && ctx.current()) body.append(supportFigures);

  function customs(rows) {
    const made = customsChart(rows, cur, { csvName: `customs-${slug}.csv`, name: "customs" });
    destroyers.push(made.destroy);
    return made.element;
  }
}
