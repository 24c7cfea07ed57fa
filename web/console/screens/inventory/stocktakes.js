// Stocktakes: the list and the form that opens one, for every SKU or those matching a search
// and a stock level (`#/inventory/stocktakes`); and one stocktake (`#/inventory/stocktakes/<id>`):
// a count entry made for a phone (scan or type a SKU, then the count), a paged count sheet of
// the SKUs in its scope, the differences against on hand, and applying them (with progress)
// or cancelling.

import { h } from "../../../lib/dom.js";
import { field, formActions, input, select, showErrors, submitButton } from "../../../lib/forms.js";
import { plural, t } from "../../../lib/i18n.js";
import { navigate, rerender } from "../../../lib/router.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, button, confirmDialog, facts, pageHead, panel, progressBar, state, toast } from "../../ui/page.js";
import { date, dateTime, number } from "../../ui/format.js";
import { tabs } from "./common.js";
import { LEVELS, skuHref, STOCK } from "./stock.js";

const LIST = `query InventoryStocktakes($status: StocktakeStatus, $first: Int, $after: String, $last: Int, $before: String) {
  stocktakes(status: $status, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id status note search level createdAt appliedAt }
  }
}`;

const OPEN = `mutation InventoryOpenStocktake($input: OpenStocktakeInput!) {
  openStocktake(input: $input) { stocktake { id } errors { field code message } }
}`;

const LINES = "lines { counted stockOnHand stockReserved difference variant { id sku name } }";

const STOCKTAKE = `query InventoryStocktake($id: ID!) {
  stocktake(id: $id) { id status note search level createdAt appliedAt ${LINES} }
}`;

const RECORD = `mutation InventoryRecordCounts($input: RecordStocktakeCountsInput!) {
  recordStocktakeCounts(input: $input) { stocktake { id ${LINES} } errors { field code message } }
}`;

const APPLY = `mutation InventoryApplyStocktake($input: StocktakeIdInput!) {
  applyStocktake(input: $input) { stocktake { id status } errors { field code message } }
}`;

const CANCEL = `mutation InventoryCancelStocktake($input: StocktakeIdInput!) {
  cancelStocktake(input: $input) { stocktake { id status } errors { field code message } }
}`;

// Counts sent per request when a sheet is saved (the API takes up to 500).
const BATCH = 100;
const STATUSES = ["OPEN", "APPLIED", "CANCELLED"];

const titleOf = (s) => s.note || t("inventory.st.untitled", { date: date(s.createdAt) });
const scopeOf = (s) =>
  [s.search ? `“${s.search}”` : null, s.level ? t(`inventory.level.${s.level}`) : null].filter(Boolean).join(" · ") || t("inventory.st.scopeAll");
const stocktakeHref = (id) => href("inventory", ["stocktakes", id]);

function openForm() {
  const form = h("form", { class: "form", "data-edit": "" },
    field(t("inventory.note"), input({ name: "note", maxlength: 300 }), { optional: true }),
    field(t("search"), input({ name: "search", type: "search", maxlength: 200 }), { optional: true, hint: t("inventory.st.searchHint") }),
    field(t("inventory.level"), select("level", [["", t("all")], ...LEVELS.map((l) => [l, t(`inventory.level.${l}`)])], "")),
    formActions(submitButton(t("inventory.st.openButton"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = (name) => form.querySelector(`[name=${name}]`).value.trim();
    const payload = await mutate(form, OPEN, { input: { note: value("note"), search: value("search"), level: value("level") || null } });
    if (payload) navigate(stocktakeHref(payload.stocktake.id));
  });
  return panel(t("inventory.st.open"), form);
}

export function showStocktakes(view, ctx) {
  const list = serverList({
    ctx,
    label: t("inventory.st.title"),
    query: LIST,
    pick: (d) => d.stocktakes,
    variables: (p) => ({ status: STATUSES.includes(p.get("status")) ? p.get("status") : null }),
    filters: [{ name: "status", label: t("inventory.st.status"), type: "select", options: STATUSES.map((s) => [s, t(`status.${s}`)]) }],
    empty: t("inventory.st.empty"),
    columns: [
      { label: t("inventory.note"), cell: (s) => titleOf(s) },
      { label: t("inventory.st.scope"), cell: (s) => scopeOf(s) },
      { label: t("inventory.st.status"), cell: (s) => badge(s.status) },
      { label: t("inventory.st.created"), cell: (s) => dateTime(s.createdAt) },
      { label: t("inventory.st.applied"), cell: (s) => dateTime(s.appliedAt) },
    ],
    rowHref: (s) => stocktakeHref(s.id),
  });
  view.replaceChildren(pageHead(t("nav.inventory")), tabs("stocktakes"), openForm(), panel(t("inventory.st.title"), list));
}

/** Lines in figures: how many SKUs were counted, how many differ, units found and missing. */
function tally(lines) {
  const changed = lines.filter((l) => l.difference !== 0);
  const plus = changed.reduce((sum, l) => sum + Math.max(l.difference, 0), 0);
  const minus = changed.reduce((sum, l) => sum + Math.max(-l.difference, 0), 0);
  return { lines: number(lines.length), changed: number(changed.length), plus: number(plus), minus: number(minus) };
}

function differences(lines) {
  if (!lines.length) return [state(t("inventory.st.noLines"))];
  const signed = (n) => (n > 0 ? `+${number(n)}` : n < 0 ? `−${number(-n)}` : "0");
  return [
    h("p", { class: "inv-summary" }, t("inventory.st.summary", tally(lines))),
    h("div", { class: "table-wrap" }, h("table", { class: "data inv-differences" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("inventory.sku")),
        h("th", { scope: "col", class: "num" }, t("inventory.st.counted")),
        h("th", { scope: "col", class: "num" }, t("inventory.onHand")),
        h("th", { scope: "col", class: "num" }, t("inventory.reserved")),
        h("th", { scope: "col", class: "num" }, t("inventory.st.difference")))),
      h("tbody", {}, lines.map((l) => h("tr", { dataset: { sku: l.variant.sku, difference: String(l.difference) } },
        h("td", {}, h("a", { href: skuHref(l.variant.sku), class: "inv-sku" }, l.variant.sku), l.variant.name ? h("div", { class: "muted" }, l.variant.name) : null),
        h("td", { class: "num" }, number(l.counted)),
        h("td", { class: "num" }, number(l.stockOnHand)),
        h("td", { class: "num" }, number(l.stockReserved)),
        h("td", { class: `num${l.difference ? " inv-diff" : ""}` }, signed(l.difference))))))),
  ];
}

export async function showStocktake(view, ctx, id) {
  const crumb = [href("inventory", ["stocktakes"]), t("inventory.st.back")];
  view.replaceChildren(pageHead(t("inventory.st.title"), { crumb }), state(t("loading")));
  const { stocktake } = await gql(STOCKTAKE, { id });
  if (!ctx.current()) return;
  if (!stocktake) return view.replaceChildren(pageHead(t("inventory.st.title"), { crumb }), state(t("screen.notFound"), { error: true }));

  let lines = stocktake.lines;
  const diffBody = h("div", { "aria-live": "polite" }, differences(lines));
  const showLines = (next) => {
    lines = next;
    diffBody.replaceChildren(...differences(lines));
    for (const el of view.querySelectorAll("input[data-variant]")) {
      const line = lines.find((l) => l.variant.id === el.dataset.variant);
      if (line && el.dataset.initial === el.value) el.value = el.dataset.initial = String(line.counted);
    }
  };
  const head = pageHead(titleOf(stocktake), { crumb, actions: [badge(stocktake.status)] });
  const about = facts([
    [t("inventory.st.scope"), scopeOf(stocktake)],
    [t("inventory.st.created"), dateTime(stocktake.createdAt)],
    [t("inventory.st.applied"), stocktake.appliedAt ? dateTime(stocktake.appliedAt) : null],
  ]);
  const diffPanel = panel(t("inventory.st.differences"), [h("p", { class: "field-hint" }, t("inventory.st.differencesHint")), diffBody], { attrs: { class: "panel", id: "stocktake-differences" } });
  if (stocktake.status !== "OPEN") return view.replaceChildren(head, about, state(t("inventory.st.closed")), diffPanel);

  const record = (counts) => gql(RECORD, { input: { stocktakeId: stocktake.id, counts } }).then((d) => d.recordStocktakeCounts);

  // Scan or type a SKU, then the count: the phone's way of counting a shelf.
  const skuInput = input({ name: "sku", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", enterkeyhint: "next", required: true });
  const countInput = input({ name: "counted", type: "number", min: "0", step: "1", inputmode: "numeric", enterkeyhint: "done", required: true });
  const entry = h("form", { class: "form inv-count-entry" },
    field(t("inventory.sku"), skuInput, { hint: t("inventory.st.scanHint") }),
    field(t("inventory.st.counted"), countInput),
    formActions(submitButton(t("inventory.st.record"))));
  // A scanner ends the SKU with Enter: go on to the count rather than submit.
  skuInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !countInput.value) {
      e.preventDefault();
      countInput.focus();
    }
  });
  entry.addEventListener("submit", async (e) => {
    e.preventDefault();
    const sku = skuInput.value.trim();
    const counted = Number(countInput.value);
    const found = (await gql(STOCK, { filter: { sku }, first: 1 })).stockLevels.nodes[0];
    if (!found) return showErrors(entry, [{ field: ["sku"], message: t("inventory.notFound", { sku }) }]);
    const payload = await mutate(entry, RECORD, { input: { stocktakeId: stocktake.id, counts: [{ variantId: found.variant.id, counted }] } });
    if (!payload) return;
    toast(t("inventory.st.recorded", { sku: found.variant.sku, n: number(counted) }));
    showLines(payload.stocktake.lines);
    skuInput.value = countInput.value = "";
    skuInput.focus();
  });

  // The SKUs in the stocktake's scope, a page at a time, each with its count.
  const countedOf = (variantId) => lines.find((l) => l.variant.id === variantId)?.counted;
  const sheetList = serverList({
    ctx,
    label: t("inventory.st.sheet"),
    query: STOCK,
    pick: (d) => d.stockLevels,
    variables: () => ({ filter: { search: stocktake.search || null, level: stocktake.level } }),
    pageSize: 25,
    columns: [
      { label: t("inventory.sku"), cell: (n) => [h("span", { class: "inv-sku" }, n.variant.sku), n.variant.name ? h("div", { class: "muted" }, n.variant.name) : null] },
      { label: t("inventory.product"), cell: (n) => n.productName },
      { label: t("inventory.onHand"), num: true, cell: (n) => number(n.variant.stockOnHand) },
      { label: t("inventory.st.counted"), num: true, cell: (n) => {
        const value = countedOf(n.variant.id);
        return input({ type: "number", min: "0", step: "1", inputmode: "numeric", class: "input inv-count", "aria-label": `${t("inventory.st.counted")} ${n.variant.sku}`,
          value: value ?? "", dataset: { variant: n.variant.id, initial: value ?? "" } });
      } },
    ],
  });
  const sheetProgress = progressBar(t("inventory.st.saveCounts"));
  sheetProgress.hidden = true;
  const sheet = h("form", { class: "inv-sheet", "data-edit": "" }, sheetList,
    formActions(submitButton(t("inventory.st.saveCounts"))), sheetProgress);

  /** Saves the sheet's changed counts in batches, `onShare` told the share done; the count saved, or null. */
  async function saveSheet(onShare = () => {}) {
    const changed = [...sheet.querySelectorAll("input[data-variant]")].filter((el) => el.value.trim() !== "" && el.value !== el.dataset.initial);
    const counts = changed.map((el) => ({ variantId: el.dataset.variant, counted: Number(el.value) }));
    for (let i = 0; i < counts.length; i += BATCH) {
      const payload = await record(counts.slice(i, i + BATCH));
      if (payload.errors.length) {
        // Paths are `counts.<index>.<field>` within the batch: say which SKU each is about.
        const skuOf = (e) => changed[i + Number(e.field?.[1])]?.getAttribute("aria-label") || "";
        showErrors(sheet, payload.errors.map((e) => ({ message: `${skuOf(e)}: ${e.message}` })));
        return null;
      }
      for (const el of changed.slice(i, i + BATCH)) el.dataset.initial = el.value;
      showLines(payload.stocktake.lines);
      onShare(Math.min(1, (i + BATCH) / counts.length));
    }
    delete sheet.dataset.unsaved;
    return counts.length;
  }

  sheet.addEventListener("submit", async (e) => {
    e.preventDefault();
    sheetProgress.hidden = false;
    sheetProgress.set(0);
    const saved = await saveSheet((share) => sheetProgress.set(share));
    sheetProgress.hidden = true;
    if (saved !== null) toast(saved ? plural("inventory.st.saved", saved) : t("inventory.st.nothingToSave"));
  });

  const applyProgress = progressBar(t("inventory.st.applying"));
  applyProgress.hidden = true;
  const actions = h("div", { class: "actions" },
    button(t("inventory.st.apply"), () => apply(), { attrs: { id: "stocktake-apply" } }),
    button(t("inventory.st.cancel"), () => cancel(), { kind: "danger" }));
  const actionPanel = h("div", { class: "inv-apply" }, actions, applyProgress);

  async function apply() {
    const ok = await confirmDialog({ title: t("inventory.st.applyTitle"), text: t("inventory.st.applyText", tally(lines)), confirmLabel: t("inventory.st.apply") });
    if (!ok) return;
    applyProgress.hidden = false;
    applyProgress.set(0.05);
    // Counts typed on the sheet and not saved yet are part of what is applied.
    const saved = await saveSheet((share) => applyProgress.set(0.05 + share * 0.6));
    if (saved === null) return (applyProgress.hidden = true);
    applyProgress.set(0.7);
    const payload = await mutate(actionPanel, APPLY, { input: { id: stocktake.id } });
    if (!payload) return (applyProgress.hidden = true);
    applyProgress.set(1);
    toast(t("inventory.st.appliedDone"));
    rerender();
  }

  async function cancel() {
    const ok = await confirmDialog({ title: t("inventory.st.cancelTitle"), text: t("inventory.st.cancelText"), confirmLabel: t("inventory.st.cancel"), danger: true });
    if (!ok) return;
    if (await mutate(actionPanel, CANCEL, { input: { id: stocktake.id } })) {
      toast(t("inventory.st.cancelled"));
      rerender();
    }
  }

  view.replaceChildren(head, about,
    panel(t("inventory.st.scan"), entry, { attrs: { class: "panel", id: "stocktake-entry" } }),
    panel(t("inventory.st.sheet"), [h("p", { class: "field-hint" }, t("inventory.st.sheetHint")), sheet], { attrs: { class: "panel", id: "stocktake-sheet" } }),
    diffPanel,
    panel(null, actionPanel));
}
