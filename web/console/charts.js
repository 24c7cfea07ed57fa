// Charts for the console's numbers: uPlot (pinned in web/vendor/, see vendor.json) drawing a
// daily series or bars, with axes in the console's language, and beside each chart the same
// figures as a table a click away and a CSV download. Where a chart cannot be drawn (no
// canvas, no room) the table is shown instead.

import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { addMessages } from "./messages.js";
import { number, plainAmount, shortDay } from "./ui/format.js";
import uPlot from "../vendor/uplot/uPlot.esm.js";

addMessages({
  en: {
    "charts.showTable": "Show figures",
    "charts.showChart": "Show chart",
    "charts.csv": "Download CSV",
    "charts.empty": "Nothing in this range.",
    "charts.day": "Day",
  },
  zh: {
    "charts.showTable": "查看数据",
    "charts.showChart": "查看图表",
    "charts.csv": "下载 CSV",
    "charts.empty": "所选时间段内没有数据。",
    "charts.day": "日期",
  },
});

const CSS = new URL("../vendor/uplot/uPlot.min.css", import.meta.url).href;
const HEIGHT = 240;
const COLOURS = ["#1f6f78", "#d9822b", "#6b4fa3", "#3c8d2f"];

function loadCss() {
  if (document.querySelector(`link[href="${CSS}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href: CSS }));
}

/** A bar's label on the axis: long product names are cut (the legend and table say them whole). */
const short = (label, chars = 14) => (String(label).length > chars ? `${String(label).slice(0, chars - 1)}…` : String(label));

const dayToSeconds = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const secondsToDay = (s) => new Date(s * 1000).toISOString().slice(0, 10);

/** A CSV line: fields quoted when they hold a comma, quote or line break. */
function csvLine(values) {
  return values
    .map((v) => {
      const text = v === null || v === undefined ? "" : String(v);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(",");
}

/** The CSV text of a table: a header line, then one line per row (raw values, not formatted). */
export const toCsv = (columns, rows) =>
  [csvLine(columns.map((c) => c.csv ?? c.key)), ...rows.map((row) => csvLine(columns.map((c) => row[c.key])))].join("\r\n") + "\r\n";

/** Saves `text` as the CSV file `name`, as the browser downloads. */
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The figures as a table: `columns` are `{key, label, format?, numeric?}`. */
export function figuresTable(columns, rows, { caption = null } = {}) {
  return h("div", { class: "table-wrap" },
    h("table", { class: "data" },
      caption ? h("caption", { class: "visually-hidden" }, caption) : null,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.numeric ? "num" : null }, c.label)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c) => h("td", { class: c.numeric ? "num" : null }, c.format ? c.format(row[c.key], row) : row[c.key])))))));
}

function seriesOptions(series, bars) {
  // Two series of bars stand side by side, one left and one right of their mark.
  const pair = bars && series.length === 2;
  return series.map((s, i) => ({
    label: s.label,
    stroke: COLOURS[i % COLOURS.length],
    fill: bars ? `${COLOURS[i % COLOURS.length]}cc` : `${COLOURS[i % COLOURS.length]}22`,
    width: bars ? 0 : 2,
    scale: s.scale || "y",
    value: (u, v) => (v === null || v === undefined ? "—" : (s.format || number)(v)),
    ...(bars ? { paths: uPlot.paths.bars(pair ? { size: [0.35, 32], align: i ? 1 : -1 } : { size: [0.7, 64] }), points: { show: false } } : {}),
  }));
}

/**
 * Draws a uPlot chart into `box`. `kind` "days": `x` holds ISO days; "bars": `x` holds labels
 * (`xLabel` names them in the legend).
 * `series`: `[{label, values, format?, scale?, axisFormat?}]`. Returns a function that removes it.
 */
function draw(box, { kind, x, series, xLabel = "" }) {
  loadCss();
  const bars = kind === "bars";
  const xs = bars ? x.map((_, i) => i) : x.map(dayToSeconds);
  const scales = { x: bars ? { time: false, range: [-0.5, x.length - 0.5] } : { time: true } };
  const axes = [
    {
      values: bars
        ? (u, splits) => {
            // As many characters as a bar's width holds (about 7 px each), at least two.
            const room = u.bbox.width / (window.devicePixelRatio || 1) / Math.max(1, x.length);
            const chars = Math.max(2, Math.floor(room / 7));
            return splits.map((s) => (Number.isInteger(s) && x[s] !== undefined ? short(x[s], chars) : ""));
          }
        : (u, splits) => splits.map((s) => shortDay(secondsToDay(s))),
      ...(bars ? { splits: () => xs, gap: 4, size: 48, rotate: 0 } : {}),
    },
  ];
  const usedScales = [...new Set(series.map((s) => s.scale || "y"))];
  usedScales.forEach((scale, i) => {
    const first = series.find((s) => (s.scale || "y") === scale);
    scales[scale] = { range: (u, min, max) => [Math.min(0, min * 1.1), max > 0 ? max * 1.1 : 1] };
    axes.push({ scale, side: i === 0 ? 3 : 1, grid: { show: i === 0 }, size: 64, values: (u, splits) => splits.map((v) => (first.axisFormat || plainAmount)(v)) });
  });
  const width = Math.max(280, box.clientWidth || 600);
  const plot = new uPlot(
    { width, height: HEIGHT, scales, axes, series: [{ label: bars ? xLabel : t("charts.day"), value: (u, v) => (v === null || v === undefined ? "—" : bars ? x[v] ?? "" : shortDay(secondsToDay(v))) }, ...seriesOptions(series, bars)], legend: { show: true }, cursor: { drag: { x: false, y: false } } },
    [xs, ...series.map((s) => s.values)],
    box,
  );
  const resize = new ResizeObserver(() => {
    const w = box.clientWidth;
    if (w > 0 && Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: HEIGHT });
  });
  resize.observe(box);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

/**
 * A chart with its figures: the chart, a button that swaps it for the table of figures (and
 * back), and a CSV download. `table` is `{columns, rows}` (columns `{key, label, csv?,
 * format?, numeric?}`); `chart` is `{kind, x, series}` (see `draw`); `csvName` the file name.
 * `attrs` go on the figure (a `data-chart` name helps tests and styling).
 */
export function chartWithFigures({ title, chart, table, csvName, attrs = {} }) {
  const box = h("div", { class: "chart-box" });
  const tableBox = h("div", { class: "chart-table", hidden: true }, figuresTable(table.columns, table.rows, { caption: title }));
  const toggle = h("button", { type: "button", class: "button button-secondary", "aria-pressed": "false" }, t("charts.showTable"));
  const csv = h("button", { type: "button", class: "button button-secondary" }, t("charts.csv"));
  csv.addEventListener("click", () => download(csvName, toCsv(table.columns, table.rows)));
  const figure = h("figure", { class: "chart", ...attrs },
    h("div", { class: "chart-head" }, h("figcaption", {}, title), h("div", { class: "actions" }, toggle, csv)),
    box, tableBox);
  let remove = null;
  const showTable = (on) => {
    tableBox.hidden = !on;
    box.hidden = on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? t("charts.showChart") : t("charts.showTable");
  };
  toggle.addEventListener("click", () => showTable(tableBox.hidden));
  if (!table.rows.length) {
    box.append(h("p", { class: "state" }, t("charts.empty")));
    return { element: figure, destroy: () => {} };
  }
  // Drawn once the figure is in the page (uPlot measures its box).
  requestAnimationFrame(() => {
    if (!figure.isConnected) return;
    try {
      remove = draw(box, chart);
    } catch (err) {
      console.error(err);
      showTable(true);
      toggle.hidden = true;
    }
  });
  return { element: figure, destroy: () => remove?.() };
}
