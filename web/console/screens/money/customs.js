// Duties and import taxes collected at checkout, per import regime: the figures the Money and
// Statistics screens show, as a chart with its table and a CSV.

import { t } from "../../../lib/i18n.js";
import { chartWithFigures } from "../../charts.js";
import { addMessages } from "../../messages.js";
import { number, plainAmount } from "../../ui/format.js";

addMessages({
  en: {
    "customs.duties": "Duties collected",
    "customs.importTaxes": "Import taxes collected",
    "customs.refunded": "Refunded",
    "customs.byRegime": "Duties and import taxes by regime",
    "customs.regime": "Regime",
    "customs.kind": "Kind",
    "customs.orders": "Orders",
    "customs.collected": "Collected",
    "customs.net": "Net",
    "customs.kind.DUTY": "Duty",
    "customs.kind.IMPORT_TAX": "Import tax",
  },
  zh: {
    "customs.duties": "已收关税",
    "customs.importTaxes": "已收进口税",
    "customs.refunded": "已退还",
    "customs.byRegime": "按进口制度的关税与进口税",
    "customs.regime": "进口制度",
    "customs.kind": "类别",
    "customs.orders": "订单数",
    "customs.collected": "已收",
    "customs.net": "净额",
    "customs.kind.DUTY": "关税",
    "customs.kind.IMPORT_TAX": "进口税",
  },
});

const M = "{ amount currency }";

/** The fields of a regime row in the settlement report (`SettlementCustoms`). */
export const SETTLEMENT_FIELDS = `customs { regime kind orders collected ${M} refunded ${M} net ${M} }`;
/** The fields of a regime row in the statistics (`OrderStatisticsCustoms`). */
export const STATISTICS_FIELDS = `customsByRegime { regime kind orders collected ${M} refunded ${M} }`;

/** The rows per regime as a bar chart of what was collected, its table and a CSV: `{element,
 * destroy}`. `rows` are the API's; `currency` the one their amounts are in. */
export function customsChart(rows, currency, { csvName, name }) {
  const label = (row) => `${row.regime} · ${t(`customs.kind.${row.kind}`)}`;
  const figures = rows.map((row) => ({
    group: label(row),
    regime: row.regime,
    kind: row.kind.toLowerCase(),
    orders: row.orders,
    collected: row.collected.amount,
    refunded: row.refunded ? row.refunded.amount : "",
    net: row.net ? row.net.amount : "",
  }));
  const amountColumn = (key, text) => ({ key, label: `${text} (${currency})`, csv: `${key}_${currency}`, numeric: true, format: (v) => (v === "" ? "—" : plainAmount(v)) });
  const columns = [
    { key: "regime", label: t("customs.regime") },
    { key: "kind", label: t("customs.kind"), format: (v) => t(`customs.kind.${v.toUpperCase()}`) },
    { key: "orders", label: t("customs.orders"), numeric: true, format: number },
    amountColumn("collected", t("customs.collected")),
    amountColumn("refunded", t("customs.refunded")),
  ];
  if (rows.some((row) => row.net)) columns.push(amountColumn("net", t("customs.net")));
  return chartWithFigures({
    title: `${t("customs.byRegime")} (${currency})`,
    chart: {
      kind: "bars",
      xLabel: t("customs.regime"),
      x: figures.map((f) => f.group),
      series: [{ label: `${t("customs.collected")} (${currency})`, values: figures.map((f) => Number(f.collected)), format: (v) => plainAmount(v) }],
    },
    table: { columns, rows: figures },
    csvName,
    attrs: { dataset: { chart: name } },
  });
}
