// The money screen: the settlement report for a chosen range (gross, refunds, fees, net and
// exchange gain or loss per currency and method) as a table and a chart, and the payments
// that need staff to look at them, each linking to its order; the duties and import taxes
// the paid orders collected, per import regime. The "Tax returns" tab (`#/money/returns`) has
// the IOSS, UK VAT and Australian GST returns.

import { h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { can, gql } from "../api.js";
import { chartWithFigures } from "../charts.js";
import { addMessages } from "../messages.js";
import { rangeForm, rangeOf } from "../range.js";
import { href } from "../routes.js";
import { age, dateTime, day, methodName, money, number, plainAmount } from "../ui/format.js";
import { badge, kpi, pageHead, panel, state } from "../ui/page.js";
import { SETTLEMENT_FIELDS, customsChart } from "./money/customs.js";
import { moneyTabs } from "./money/tabs.js";

addMessages({
  en: {
    "money.report": "Settlement report",
    "money.range": "Payments and refunds settled from {from} to {to} (UTC days).",
    "money.currency": "Currency",
    "money.method": "Method",
    "money.settlement": "Settled in",
    "money.payments": "Payments",
    "money.refundCount": "Refunds",
    "money.gross": "Gross",
    "money.refunds": "Refunded",
    "money.fees": "Fees",
    "money.net": "Net",
    "money.gain": "Exchange gain/loss",
    "money.total": "Total",
    "money.chart": "Fees and exchange differences",
    "money.empty": "No payment settled in this range.",
    "money.attention": "Payments to look at",
    "money.attentionNone": "Nothing needs your attention.",
    "money.order": "Order",
    "money.kind": "Why",
    "money.amount": "Amount",
    "money.since": "Since",
    "money.failed": "Could not be loaded: {message}",
    "money.kind.DISPUTED": "Disputed",
    "money.kind.FLAGGED": "Flagged",
    "money.kind.AMOUNT_MISMATCH": "Amount mismatch",
    "money.kind.FAILED": "Payment failed",
    "money.kind.STUCK": "Stuck in processing",
    "money.kind.UNSETTLED": "Not settled",
    "money.kind.REFUND_FAILED": "Refund failed",
    "money.kind.REFUND_PENDING": "Refund pending",
    "money.customs": "Duties and import taxes of the orders paid in the range",
    "money.customsRefunded": "{amount} refunded",
  },
  zh: {
    "money.report": "结算报表",
    "money.range": "{from} 至 {to}（UTC）期间结算的付款与退款。",
    "money.currency": "币种",
    "money.method": "支付方式",
    "money.settlement": "结算币种",
    "money.payments": "付款笔数",
    "money.refundCount": "退款笔数",
    "money.gross": "收款总额",
    "money.refunds": "退款金额",
    "money.fees": "手续费",
    "money.net": "净入账",
    "money.gain": "汇兑损益",
    "money.total": "合计",
    "money.chart": "手续费与汇兑损益",
    "money.empty": "所选时间段内没有结算记录。",
    "money.attention": "需处理的付款",
    "money.attentionNone": "暂无需要处理的付款。",
    "money.order": "订单",
    "money.kind": "原因",
    "money.amount": "金额",
    "money.since": "发生时间",
    "money.failed": "加载失败：{message}",
    "money.kind.DISPUTED": "买家争议",
    "money.kind.FLAGGED": "已标记",
    "money.kind.AMOUNT_MISMATCH": "金额不符",
    "money.kind.FAILED": "付款失败",
    "money.kind.STUCK": "处理超时",
    "money.kind.UNSETTLED": "未结算",
    "money.kind.REFUND_FAILED": "退款失败",
    "money.kind.REFUND_PENDING": "退款处理中",
    "money.customs": "所选时间段内已付款订单的关税与进口税",
    "money.customsRefunded": "已退还 {amount}",
  },
});

const M = "{ amount currency }";

const REPORT = `query SettlementReport($from: Date!, $to: Date!) {
  settlementReport(from: $from, to: $to) {
    from to shopCurrency
    rows { currency method settlementCurrency payments refundCount gross ${M} refunds ${M} fees ${M} net ${M} exchangeGain ${M} }
    totals { settlementCurrency payments refundCount fees ${M} net ${M} exchangeGain ${M} }
    dutyCollected ${M} dutyRefunded ${M} importTaxCollected ${M} importTaxRefunded ${M}
    ${SETTLEMENT_FIELDS}
  }
}`;

const ATTENTION = `query PaymentsNeedingAttention {
  paymentsNeedingAttention(first: 50) {
    kind reason since orderNumber
    payment { amount ${M} status }
    refund { amount ${M} status }
    order { id number }
  }
}`;

const KIND_TONE = { DISPUTED: "bad", FLAGGED: "warn", AMOUNT_MISMATCH: "warn", FAILED: "bad", STUCK: "warn", UNSETTLED: "info", REFUND_FAILED: "bad", REFUND_PENDING: "warn" };


function gain(m) {
  if (!m) return "—";
  const sign = Number(m.amount) < 0 ? "-" : Number(m.amount) > 0 ? "+" : "";
  return h("span", { class: "gain", dataset: { sign } }, money(m));
}

async function report(ctx, range, block, destroyers) {
  const data = await gql(REPORT, range);
  if (!ctx.current()) return;
  const r = data.settlementReport;
  const shop = r.shopCurrency;
  const customs = customsBlock(r, destroyers);
  if (!r.rows.length) {
    block.replaceChildren(h("p", { class: "muted" }, t("money.range", { from: day(r.from), to: day(r.to) })), state(t("money.empty")), customs);
    return;
  }
  const rows = r.rows.map((row) => ({ ...row, label: `${row.currency} · ${methodName(row.method)}` }));
  const table = h("div", { class: "table-wrap" },
    h("table", { class: "data", dataset: { table: "settlement" } },
      h("thead", {}, h("tr", {}, [
        t("money.currency"), t("money.method"), t("money.settlement"), t("money.payments"), t("money.refundCount"),
        t("money.gross"), t("money.refunds"), t("money.fees"), t("money.net"), t("money.gain"),
      ].map((label, i) => h("th", { scope: "col", class: i >= 3 ? "num" : null }, label)))),
      h("tbody", {}, rows.map((row) => h("tr", { dataset: { currency: row.currency, method: row.method } },
        h("td", {}, row.currency), h("td", {}, methodName(row.method)), h("td", {}, row.settlementCurrency || "—"),
        h("td", { class: "num" }, number(row.payments)), h("td", { class: "num" }, number(row.refundCount)),
        h("td", { class: "num" }, money(row.gross)), h("td", { class: "num" }, money(row.refunds)),
        h("td", { class: "num" }, money(row.fees)), h("td", { class: "num" }, money(row.net)),
        h("td", { class: "num" }, gain(row.exchangeGain))))),
      h("tfoot", {}, r.totals.map((total) => h("tr", { dataset: { total: total.settlementCurrency } },
        h("th", { scope: "row", colspan: "3" }, `${t("money.total")} (${total.settlementCurrency})`),
        h("td", { class: "num" }, number(total.payments)), h("td", { class: "num" }, number(total.refundCount)),
        h("td", {}), h("td", {}),
        h("td", { class: "num" }, money(total.fees)), h("td", { class: "num" }, money(total.net)),
        h("td", { class: "num" }, gain(total.exchangeGain)))))));
  const inShop = rows.filter((row) => row.settlementCurrency === shop);
  const chartRows = inShop.map((row) => ({ group: row.label, currency: row.currency, fees: row.fees?.amount ?? "0", gain: row.exchangeGain?.amount ?? "0" }));
  const chart = chartWithFigures({
    title: `${t("money.chart")} (${shop})`,
    chart: {
      kind: "bars",
      xLabel: `${t("money.currency")} · ${t("money.method")}`,
      // The currency alone names a bar while every row is of one method.
      x: chartRows.map((row) => (new Set(inShop.map((r) => r.method)).size === 1 ? row.currency : row.group)),
      series: [
        { label: `${t("money.fees")} (${shop})`, values: chartRows.map((row) => Number(row.fees)), format: (v) => plainAmount(v) },
        { label: `${t("money.gain")} (${shop})`, values: chartRows.map((row) => Number(row.gain)), format: (v) => plainAmount(v) },
      ],
    },
    table: {
      columns: [
        { key: "group", label: `${t("money.currency")} · ${t("money.method")}` },
        { key: "fees", label: `${t("money.fees")} (${shop})`, csv: `fees_${shop}`, numeric: true, format: (v) => plainAmount(v) },
        { key: "gain", label: `${t("money.gain")} (${shop})`, csv: `exchange_gain_${shop}`, numeric: true, format: (v) => plainAmount(v) },
      ],
      rows: chartRows,
    },
    csvName: `settlement-${r.from}-${r.to}.csv`,
    attrs: { dataset: { chart: "settlement" } },
  });
  destroyers.push(chart.destroy);
  const totals = r.totals.find((x) => x.settlementCurrency === shop);
  block.replaceChildren(
    h("p", { class: "muted" }, t("money.range", { from: day(r.from), to: day(r.to) })),
    totals ? h("div", { class: "kpis" },
      kpi(t("money.net"), money(totals.net), null, { dataset: { kpi: "net" } }),
      kpi(t("money.fees"), money(totals.fees), null, { dataset: { kpi: "fees" } }),
      kpi(t("money.gain"), gain(totals.exchangeGain), null, { dataset: { kpi: "gain" } })) : null,
    table, chart.element, customs);
}

/** What the orders paid in the range collected in duties and import taxes: totals and the
 * figures per regime (nothing when none was collected). */
function customsBlock(r, destroyers) {
  if (!r.customs.length) return null;
  const refunded = (m) => t("money.customsRefunded", { amount: money(m) });
  const chart = customsChart(r.customs, r.shopCurrency, { csvName: `customs-${r.from}-${r.to}.csv`, name: "settlement-customs" });
  destroyers.push(chart.destroy);
  return h("div", { dataset: { block: "settlement-customs" } },
    h("h3", {}, t("money.customs")),
    h("div", { class: "kpis" },
      kpi(t("customs.duties"), money(r.dutyCollected), refunded(r.dutyRefunded), { dataset: { kpi: "duties" } }),
      kpi(t("customs.importTaxes"), money(r.importTaxCollected), refunded(r.importTaxRefunded), { dataset: { kpi: "import-taxes" } })),
    chart.element);
}

async function attention(ctx, block) {
  const data = await gql(ATTENTION);
  if (!ctx.current()) return;
  const items = data.paymentsNeedingAttention;
  if (!items.length) return block.replaceChildren(state(t("money.attentionNone")));
  const link = (item) => (can("ORDERS") ? h("a", { href: href("orders", [item.order.id]) }, item.orderNumber) : item.orderNumber);
  block.replaceChildren(h("div", { class: "table-wrap" },
    h("table", { class: "data", dataset: { table: "attention" } },
      h("thead", {}, h("tr", {}, [t("money.order"), t("money.kind"), t("money.amount"), t("money.since")].map((label, i) => h("th", { scope: "col", class: i === 2 ? "num" : null }, label)))),
      h("tbody", {}, items.map((item) => h("tr", { dataset: { kind: item.kind, order: item.orderNumber } },
        h("td", {}, link(item)),
        h("td", {}, badge(item.kind, { label: t(`money.kind.${item.kind}`), tone: KIND_TONE[item.kind] }), h("div", { class: "muted" }, item.reason)),
        h("td", { class: "num" }, money(item.refund ? item.refund.amount : item.payment.amount)),
        h("td", { title: dateTime(item.since) }, age(item.since))))))));
}

export async function show(view, ctx) {
  if (ctx.segments[0] === "returns") return (await import("./money/returns.js")).showReturns(view, ctx);
  const range = rangeOf(ctx.params);
  const destroyers = [];
  ctx.onLeave(() => destroyers.splice(0).forEach((d) => d()));
  const reportBlock = h("div", { dataset: { block: "settlement" } }, state(t("loading")));
  const attentionBlock = h("div", { dataset: { block: "attention" } }, state(t("loading")));
  view.replaceChildren(pageHead(t("nav.money")), moneyTabs(""),
    panel(t("money.attention"), attentionBlock),
    panel(t("money.report"), [rangeForm("money", range), reportBlock]));
  const failed = (block) => (err) => ctx.current() && block.replaceChildren(state(t("money.failed", { message: err.message }), { error: true }));
  await Promise.all([
    report(ctx, range, reportBlock, destroyers).catch(failed(reportBlock)),
    attention(ctx, attentionBlock).catch(failed(attentionBlock)),
  ]);
}
