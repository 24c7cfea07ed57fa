// The Money screen's "Tax returns" tab (`#/money/returns?kind=ioss&month=2026-11`, or
// `?kind=uk&from=&to=`): the EU IOSS monthly return (VAT by member state and rate, in EUR), UK
// VAT and Australian GST collected at checkout over a period (a quarter by default), with the
// corrections of earlier months, the ECB rates used, and the return's CSV to download.

import { h } from "../../../lib/dom.js";
import { field, input, select, submitButton } from "../../../lib/forms.js";
import { countryName, t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { gql } from "../../api.js";
import { download } from "../../charts.js";
import { addMessages } from "../../messages.js";
import { href } from "../../routes.js";
import { day, money, number } from "../../ui/format.js";
import { kpi, pageHead, panel, state } from "../../ui/page.js";
import { moneyTabs } from "./tabs.js";

addMessages({
  en: {
    "returns.title": "Tax returns",
    "returns.kind": "Return",
    "returns.kind.ioss": "EU IOSS (monthly, EUR)",
    "returns.kind.uk": "UK VAT on goods up to £135 (GBP)",
    "returns.kind.au": "Australian GST on low-value goods (AUD)",
    "returns.month": "Month",
    "returns.from": "From",
    "returns.to": "To",
    "returns.show": "Show",
    "returns.wrong": "The period must end on or after the day it starts.",
    "returns.period": "{regime}: orders paid from {from} to {to} (UTC days), in {currency}.",
    "returns.country": "Country",
    "returns.rate": "Rate",
    "returns.orders": "Orders",
    "returns.taxable": "Taxable amount",
    "returns.tax": "Tax",
    "returns.corrections": "Corrections of earlier months",
    "returns.correctionsNote": "Refunds and cancellations made in this period of orders paid in an earlier month: file them in this return's corrections, for the month shown.",
    "returns.monthCorrected": "Month corrected",
    "returns.totalTax": "Tax of the period",
    "returns.correctionTax": "Corrections",
    "returns.taxDue": "Tax due",
    "returns.rates": "Exchange rates used (ECB reference rates)",
    "returns.rateLine": "1 EUR = {rate} {currency}, of {date} (for {wanted})",
    "returns.none": "No tax collected under this regime in the period.",
    "returns.csv": "Download CSV",
    "returns.failed": "The return could not be made: {message}",
  },
  zh: {
    "returns.title": "税务申报",
    "returns.kind": "申报类型",
    "returns.kind.ioss": "欧盟 IOSS（按月，欧元）",
    "returns.kind.uk": "英国 135 英镑以下商品增值税（英镑）",
    "returns.kind.au": "澳大利亚低价值商品 GST（澳元）",
    "returns.month": "月份",
    "returns.from": "开始日期",
    "returns.to": "结束日期",
    "returns.show": "查询",
    "returns.wrong": "结束日期不能早于开始日期。",
    "returns.period": "{regime}：{from} 至 {to}（UTC）期间付款的订单，以 {currency} 计。",
    "returns.country": "国家/地区",
    "returns.rate": "税率",
    "returns.orders": "订单数",
    "returns.taxable": "计税金额",
    "returns.tax": "税额",
    "returns.corrections": "以前月份的更正",
    "returns.correctionsNote": "本期内对以前月份已付款订单的退款与取消：请在本期申报的更正部分按所示月份申报。",
    "returns.monthCorrected": "更正月份",
    "returns.totalTax": "本期税额",
    "returns.correctionTax": "更正",
    "returns.taxDue": "应缴税额",
    "returns.rates": "所用汇率（欧洲央行参考汇率）",
    "returns.rateLine": "1 欧元 = {rate} {currency}，{date} 汇率（对应 {wanted}）",
    "returns.none": "本期内该制度下没有已收税款。",
    "returns.csv": "下载 CSV",
    "returns.failed": "无法生成申报：{message}",
  },
});

const M = "{ amount currency }";
const FIELDS = `errors { field code message }
  taxReturn {
    kind regime currency from to
    rows { country ratePercent orders taxable ${M} tax ${M} }
    corrections { country period orders taxable ${M} tax ${M} }
    rates { currency rate rateDate wantedDate }
    tax ${M} correctionTax ${M} taxDue ${M}
    csv
  }`;
const QUERIES = {
  ioss: `query IossReturn($year: Int!, $month: Int!) { iossReturn(year: $year, month: $month) { ${FIELDS} } }`,
  uk: `query UkVatReturn($from: Date, $to: Date) { ukVatReturn(from: $from, to: $to) { ${FIELDS} } }`,
  au: `query AuGstReturn($from: Date, $to: Date) { auGstReturn(from: $from, to: $to) { ${FIELDS} } }`,
};
const KINDS = ["ioss", "uk", "au"];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const iso = (d) => d.toISOString().slice(0, 10);

/** The month before this one (the return to file now), as `YYYY-MM`. */
function lastMonth() {
  const now = new Date();
  return iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))).slice(0, 7);
}

/** The last calendar quarter that ended: `{from, to}`. */
function lastQuarter() {
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - 3, 1);
  const end = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 0);
  return { from: iso(new Date(start)), to: iso(new Date(end)) };
}

/** The return asked for in the address, defaults filled in. */
function askedFor(params) {
  const kind = KINDS.includes(params.get("kind")) ? params.get("kind") : "ioss";
  if (kind === "ioss") {
    const month = MONTH.test(params.get("month") || "") ? params.get("month") : lastMonth();
    return { kind, month };
  }
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && DAY.test(from) && DAY.test(to)) return { kind, from, to };
  return { kind, ...lastQuarter() };
}

function periodForm(asked) {
  const kind = select("kind", KINDS.map((k) => [k, t(`returns.kind.${k}`)]), asked.kind);
  const month = input({ type: "month", name: "month", value: asked.month || lastMonth(), required: true });
  const quarter = lastQuarter();
  const from = input({ type: "date", name: "from", value: asked.from || quarter.from, required: true });
  const to = input({ type: "date", name: "to", value: asked.to || quarter.to, required: true });
  const monthField = field(t("returns.month"), month);
  const rangeFields = [field(t("returns.from"), from), field(t("returns.to"), to)];
  const shown = () => {
    const ioss = kind.value === "ioss";
    monthField.hidden = !ioss;
    month.disabled = !ioss;
    for (const f of rangeFields) f.hidden = ioss;
    from.disabled = to.disabled = ioss;
  };
  kind.addEventListener("change", shown);
  shown();
  const form = h("form", { class: "range-form", dataset: { form: "tax-return" } },
    field(t("returns.kind"), kind), monthField, ...rangeFields, submitButton(t("returns.show")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (kind.value === "ioss") return navigate(href("money", ["returns"], { kind: "ioss", month: month.value }));
    if (!from.value || !to.value || from.value > to.value) {
      to.setCustomValidity(t("returns.wrong"));
      to.reportValidity();
      return;
    }
    to.setCustomValidity("");
    navigate(href("money", ["returns"], { kind: kind.value, from: from.value, to: to.value }));
  });
  return form;
}

const percentText = (rate) => (rate === null ? "—" : `${rate}%`);
const head = (labels, numericFrom) =>
  h("thead", {}, h("tr", {}, labels.map((label, i) => h("th", { scope: "col", class: i >= numericFrom ? "num" : null }, label))));

function drawn(r, fileName) {
  const rows = h("div", { class: "table-wrap" },
    h("table", { class: "data", dataset: { table: "return-rows" } },
      head([t("returns.country"), t("returns.rate"), t("returns.orders"), t("returns.taxable"), t("returns.tax")], 2),
      h("tbody", {}, r.rows.map((row) => h("tr", { dataset: { country: row.country, rate: row.ratePercent ?? "" } },
        h("td", {}, `${countryName(row.country)} (${row.country})`), h("td", {}, percentText(row.ratePercent)),
        h("td", { class: "num" }, number(row.orders)), h("td", { class: "num" }, money(row.taxable)), h("td", { class: "num" }, money(row.tax)))))));
  const corrections = r.corrections.length ? h("div", { dataset: { block: "corrections" } },
    h("h3", {}, t("returns.corrections")),
    h("p", { class: "muted" }, t("returns.correctionsNote")),
    h("div", { class: "table-wrap" },
      h("table", { class: "data", dataset: { table: "return-corrections" } },
        head([t("returns.country"), t("returns.monthCorrected"), t("returns.orders"), t("returns.taxable"), t("returns.tax")], 2),
        h("tbody", {}, r.corrections.map((c) => h("tr", { dataset: { country: c.country, period: c.period } },
          h("td", {}, `${countryName(c.country)} (${c.country})`), h("td", {}, c.period),
          h("td", { class: "num" }, number(c.orders)), h("td", { class: "num" }, money(c.taxable)), h("td", { class: "num" }, money(c.tax)))))))) : null;
  const rates = r.rates.length ? h("div", { dataset: { block: "rates" } },
    h("h3", {}, t("returns.rates")),
    h("ul", {}, r.rates.map((rate) => h("li", { dataset: { currency: rate.currency, date: rate.rateDate } },
      t("returns.rateLine", { rate: rate.rate, currency: rate.currency, date: day(rate.rateDate), wanted: day(rate.wantedDate) }))))) : null;
  const csv = h("button", { type: "button", class: "button button-secondary" }, t("returns.csv"));
  csv.addEventListener("click", () => download(fileName, r.csv));
  return [
    h("div", { class: "chart-head" },
      h("p", { class: "muted" }, t("returns.period", { regime: r.regime, from: day(r.from), to: day(r.to), currency: r.currency })),
      h("div", { class: "actions" }, csv)),
    h("div", { class: "kpis" },
      kpi(t("returns.totalTax"), money(r.tax), null, { dataset: { kpi: "tax" } }),
      kpi(t("returns.correctionTax"), money(r.correctionTax), null, { dataset: { kpi: "corrections" } }),
      kpi(t("returns.taxDue"), money(r.taxDue), null, { dataset: { kpi: "tax-due" } })),
    r.rows.length ? rows : state(t("returns.none")),
    corrections,
    rates,
  ];
}

export async function showReturns(view, ctx) {
  const asked = askedFor(ctx.params);
  const block = h("div", { dataset: { block: "tax-return", kind: asked.kind } }, state(t("loading")));
  view.replaceChildren(pageHead(t("nav.money")), moneyTabs("returns"), panel(t("returns.title"), [periodForm(asked), block]));
  const variables = asked.kind === "ioss"
    ? { year: Number(asked.month.slice(0, 4)), month: Number(asked.month.slice(5, 7)) }
    : { from: asked.from, to: asked.to };
  let result;
  try {
    const data = await gql(QUERIES[asked.kind], variables);
    result = Object.values(data)[0];
  } catch (err) {
    if (ctx.current()) block.replaceChildren(state(t("returns.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  if (!result.taxReturn) {
    block.replaceChildren(state(t("returns.failed", { message: result.errors.map((e) => e.message).join(" ") }), { error: true }));
    return;
  }
  const r = result.taxReturn;
  const fileName = asked.kind === "ioss" ? `ioss-${asked.month}.csv` : `${asked.kind === "uk" ? "uk-vat" : "au-gst"}-${r.from}-${r.to}.csv`;
  block.replaceChildren(...drawn(r, fileName));
}
