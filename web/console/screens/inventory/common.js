// What the inventory screen's pages share: the section tabs, the stock level badge, the
// figures of a variant with its threshold, and the receive-stock form (a page's form or a
// dialog's).

import { h } from "../../../lib/dom.js";
import { field, input } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { href } from "../../routes.js";
import { badge, confirmDialog, toast } from "../../ui/page.js";
import { number } from "../../ui/format.js";

const TABS = [
  ["", "inventory.tab.stock"],
  ["slow", "inventory.tab.slow"],
  ["stocktakes", "inventory.tab.stocktakes"],
];

/** The section links under the page head, the shown one marked. */
export function tabs(current) {
  return h("nav", { class: "inv-tabs", "aria-label": t("inventory.tabs") },
    TABS.map(([path, label]) => h("a", { href: href("inventory", path ? [path] : []), "aria-current": path === current ? "page" : null }, t(label))));
}

/** A stock level (IN_STOCK, LOW_STOCK, OUT_OF_STOCK) as a coloured badge. */
export const levelBadge = (level) => badge(level, { label: t(`inventory.level.${level}`) });

/** The threshold that applies, saying when it is the shop's default. */
export const thresholdText = (variant) =>
  variant.lowStockThreshold === null ? t("inventory.thresholdDefault", { n: number(variant.effectiveLowStockThreshold) }) : number(variant.lowStockThreshold);

export const RECEIVE = `mutation InventoryReceive($input: ReceiveStockInput!) {
  receiveStock(input: $input) { variant { id sku stockOnHand stockAvailable } errors { field code message } }
}`;

/** The receive form's controls: quantity, delivery reference and note. */
export function receiveFields() {
  return [
    field(t("inventory.quantity"), input({ name: "quantity", type: "number", min: "1", step: "1", inputmode: "numeric", required: true })),
    field(t("inventory.reference"), input({ name: "reference", maxlength: 80 }), { optional: true }),
    field(t("inventory.note"), input({ name: "note", maxlength: 300 }), { optional: true }),
  ];
}

/** The receive mutation's input from a form holding `receiveFields()`. */
export function receiveInput(form, variantId) {
  const value = (name) => form.querySelector(`[name=${name}]`).value.trim();
  return { variantId, quantity: Number(value("quantity")), reference: value("reference"), note: value("note") };
}

/** Asks for the units that arrived for one variant and receives them; resolves to the payload or null. */
export async function receiveDialog(variant) {
  let payload = null;
  const body = h("div", { class: "form" }, receiveFields());
  await confirmDialog({
    title: `${t("inventory.receive")} · ${variant.sku}`,
    body,
    confirmLabel: t("inventory.receiveShort"),
    onConfirm: async (dialog) => {
      const form = dialog.querySelector("form");
      payload = await mutate(form, RECEIVE, { input: receiveInput(form, variant.id) });
      if (payload) toast(t("inventory.received", { n: number(Number(form.querySelector("[name=quantity]").value)), sku: variant.sku }));
      return !!payload;
    },
  });
  return payload;
}
