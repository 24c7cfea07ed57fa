// The statistics screen: orders and revenue over a chosen range (in the shop currency, days of
// the browser's time zone) as charts: the daily series, destination countries and regions,
// best sellers by units and by revenue, the duties and import taxes charged at checkout per
// import regime; each chart's figures a click away, and a CSV of each.

import { h } from "../../lib/dom.js";
import { countryName, t } from "../../lib/i18n.js";
import { gql } from "../api.js";
import { chartWithFigures } from "../charts.js";
import { addMessages } from "../messages.js";
import { rangeForm, rangeOf } from "../range.js";
import { day, money, number, percent, plainAmount, shortDay, timeZone } from "../ui/format.js";
import { kpi, pageHead, state } from "../ui/page.js";
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

const place = (code) => (code ? countryName(code) : "—");

export async function show(view, ctx) {
  const range = rangeOf(ctx.params);
  const body = h("div", { dataset: { block: "statistics" } }, state(t("loading")));
  view.replaceChildren(pageHead(t("nav.statistics")), rangeForm("statistics", range), body);
  const destroyers = [];
  ctx.onLeave(() => destroyers.splice(0).forEach((d) => d()));
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

  function customs(rows) {
    const made = customsChart(rows, cur, { csvName: `customs-${slug}.csv`, name: "customs" });
    destroyers.push(made.destroy);
    return made.element;
  }
}
