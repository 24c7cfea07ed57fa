// What the marketing sections share: their page head with the section tabs, a plain table,
// a record's Delete button, form value helpers (numbers, decimals, local date-times) and a
// tick box field.

import { h, newId } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { mutate } from "../../api.js";
import { href } from "../../routes.js";
import { button, confirmDialog, pageHead, toast } from "../../ui/page.js";

/**
 * The Delete button of a record of `section` ("coupons", "tiers", "rewards"): it asks first
 * (`<section>.delete.title` and `.text`), runs `mutation` with `{input: {id}}`, and on success
 * says `<section>.deleted` and goes back to the section's list.
 */
export function deleteButton(section, mutation, id) {
  return button(t("delete"), async () => {
    const ok = await confirmDialog({ title: t(`${section}.delete.title`), text: t(`${section}.delete.text`), confirmLabel: t("delete"), danger: true });
    if (!ok) return;
    if (await mutate(document.querySelector(".page-head"), mutation, { input: { id } })) {
      toast(t(`${section}.deleted`));
      navigate(href("marketing", [section]));
    }
  }, { kind: "danger" });
}

/** The marketing page head and the section tabs under it. */
export const sectionHead = (ctx, title, opts = {}) => [pageHead(title || t("nav.marketing"), opts), ctx.tabs];

/** A table of rows: `columns` are `[{label, cell(row), num}]`. */
export function table(columns, rows, attrs = {}) {
  return h("div", { class: "table-wrap" }, h("table", { class: "data", ...attrs },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", { dataset: { id: row.id } },
      columns.map((c) => h("td", { class: c.num ? "num" : null }, c.cell(row))))))));
}

/** A whole number typed in a form, or null when left empty (a bad one goes as is, for the API to refuse). */
export function intOrNull(value) {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** A decimal typed in a form, as the API's decimal string, or null when left empty. */
export const decimalOrNull = (value) => (value === undefined || value === "" ? null : value);

/** A `datetime-local` value as an ISO timestamp, or null. */
export const isoOrNull = (value) => (value ? new Date(value).toISOString() : null);

/** An ISO timestamp as a `datetime-local` value in the browser's time zone. */
export function localValue(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A labelled tick box named after the API's field. */
export function check(label, name, checked) {
  const id = newId();
  return h("div", { class: "field field-check" },
    h("input", { type: "checkbox", id, name, checked: !!checked }),
    h("label", { for: id }, label));
}
