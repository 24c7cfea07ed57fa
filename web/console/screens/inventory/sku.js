// One SKU (`#/inventory/sku/<SKU>`): its figures and level, the forms that receive stock,
// adjust it with a reason and set its low-stock threshold, and its movement ledger, paged
// newest first.

import { h } from "../../../lib/dom.js";
import { field, formActions, input, submitButton } from "../../../lib/forms.js";
import { rerender } from "../../../lib/router.js";
import { t } from "../../../lib/i18n.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { serverList } from "../../ui/list.js";
import { badge, facts, kpi, pageHead, panel, state, toast } from "../../ui/page.js";
import { dateTime, number } from "../../ui/format.js";
import { levelBadge, RECEIVE, receiveFields, receiveInput, thresholdText } from "./common.js";
import { STOCK } from "./stock.js";

const ADJUST = `mutation InventoryAdjust($input: AdjustStockInput!) {
  adjustStock(input: $input) { variant { id stockOnHand } errors { field code message } }
}`;

const THRESHOLD = `mutation InventoryThreshold($input: SetLowStockThresholdInput!) {
  setLowStockThreshold(input: $input) { variant { id lowStockThreshold } errors { field code message } }
}`;

const LEDGER = `query InventoryLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) {
    ... on ProductVariant {
      movements(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes { id kind onHandChange reservedChange onHandAfter reservedAfter reference note createdAt }
      }
    }
  }
}`;

const signed = (n) => (n > 0 ? `+${number(n)}` : n < 0 ? `−${number(-n)}` : "0");

function stockForm(title, controls, label, submit) {
  const form = h("form", { class: "form", "data-edit": "" }, controls, formActions(submitButton(label)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await submit(form)) rerender();
  });
  return panel(title, form);
}

function ledger(ctx, variant) {
  const kind = (k) => t(`inventory.kind.${k}`);
  return serverList({
    ctx,
    label: t("inventory.ledger"),
    query: LEDGER,
    pick: (d) => d.node.movements,
    variables: () => ({ id: variant.id }),
    pageSize: 20,
    empty: t("inventory.ledger.empty"),
    columns: [
      { label: t("inventory.ledger.when"), cell: (m) => dateTime(m.createdAt) },
      { label: t("inventory.ledger.kind"), cell: (m) => badge(m.kind, { label: kind(m.kind), tone: m.onHandChange > 0 ? "ok" : m.onHandChange < 0 ? "warn" : "info" }) },
      { label: t("inventory.ledger.onHandChange"), num: true, cell: (m) => signed(m.onHandChange) },
      { label: t("inventory.ledger.reservedChange"), num: true, cell: (m) => signed(m.reservedChange) },
      { label: t("inventory.ledger.onHandAfter"), num: true, cell: (m) => number(m.onHandAfter) },
      { label: t("inventory.ledger.reservedAfter"), num: true, cell: (m) => number(m.reservedAfter) },
      { label: t("inventory.ledger.reference"), cell: (m) => m.reference || "—" },
      { label: t("inventory.ledger.note"), cell: (m) => m.note || "—" },
    ],
  });
}

export async function showSku(view, ctx, sku) {
  const crumb = [href("inventory"), t("nav.inventory")];
  view.replaceChildren(pageHead(sku, { crumb }), state(t("loading")));
  const data = await gql(STOCK, { filter: { sku }, first: 1 });
  if (!ctx.current()) return;
  const item = data.stockLevels.nodes[0];
  if (!item) return view.replaceChildren(pageHead(sku, { crumb }), state(t("inventory.notFound", { sku }), { error: true }));
  const v = item.variant;

  const receive = stockForm(t("inventory.receive"), receiveFields(), t("inventory.receiveShort"), async (form) => {
    const payload = await mutate(form, RECEIVE, { input: receiveInput(form, v.id) });
    if (payload) toast(t("inventory.received", { n: number(Number(form.querySelector("[name=quantity]").value)), sku: v.sku }));
    return payload;
  });
  const adjust = stockForm(t("inventory.adjust"), [
    field(t("inventory.delta"), input({ name: "delta", type: "number", step: "1", inputmode: "numeric", required: true }), { hint: t("inventory.deltaHint") }),
    field(t("inventory.reason"), input({ name: "reason", maxlength: 300, required: true })),
  ], t("inventory.adjust"), async (form) => {
    const value = (name) => form.querySelector(`[name=${name}]`).value.trim();
    const payload = await mutate(form, ADJUST, { input: { variantId: v.id, delta: Number(value("delta")), reason: value("reason") } });
    if (payload) toast(t("inventory.adjusted", { sku: v.sku }));
    return payload;
  });
  const threshold = stockForm(t("inventory.setThreshold"), [
    field(t("inventory.threshold"), input({ name: "threshold", type: "number", min: "0", step: "1", inputmode: "numeric", value: v.lowStockThreshold ?? "" }),
      { hint: t("inventory.thresholdHint", { n: number(v.effectiveLowStockThreshold) }), optional: true }),
  ], t("save"), async (form) => {
    const raw = form.querySelector("[name=threshold]").value.trim();
    const payload = await mutate(form, THRESHOLD, { input: { variantId: v.id, threshold: raw === "" ? null : Number(raw) } });
    if (payload) toast(t("inventory.thresholdSaved"));
    return payload;
  });

  view.replaceChildren(
    pageHead(v.sku, { crumb, actions: [levelBadge(item.level)] }),
    facts([[t("inventory.product"), item.productName], [t("inventory.variant"), v.name || null], [t("inventory.threshold"), thresholdText(v)]]),
    h("div", { class: "kpis inv-figures" },
      kpi(t("inventory.onHand"), number(v.stockOnHand), null, { dataset: { figure: "onHand" } }),
      kpi(t("inventory.reserved"), number(v.stockReserved), null, { dataset: { figure: "reserved" } }),
      kpi(t("inventory.available"), number(v.stockAvailable), null, { dataset: { figure: "available" } })),
    h("div", { class: "columns inv-forms" }, receive, adjust, threshold),
    panel(t("inventory.ledger"), ledger(ctx, v), { attrs: { class: "panel", id: "inventory-ledger" } }));
}
