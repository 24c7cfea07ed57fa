// Parts the shipping pages share: a form in a dialog that runs a mutation, the country
// picker of a zone, and weights, levels and delivery times in words.

import { h, newId } from "../../../lib/dom.js";
import { COUNTRY_CODES, countryOptions } from "../../../lib/countries.js";
import { field, formValues, input, select } from "../../../lib/forms.js";
import { countryName, plural, t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { intlLocale } from "../../ui/format.js";
import { confirmDialog, toast } from "../../ui/page.js";
import "./messages.js";

const ERRORS = "errors { field code message }";
export const SERVICE_FIELDS = "id name level volumetricDivisor maxWeightGrams active";
export const UPDATE_SERVICE = `mutation UpdateShippingService($input: UpdateShippingServiceInput!) { updateShippingService(input: $input) { service { ${SERVICE_FIELDS} } ${ERRORS} } }`;
export const DELETE_SERVICE = `mutation DeleteShippingService($input: DeleteShippingServiceInput!) { deleteShippingService(input: $input) { ${ERRORS} } }`;

export const LEVELS = ["ECONOMY", "STANDARD", "EXPRESS", "DEDICATED_LINE"];
export const levelOptions = () => LEVELS.map((l) => [l, t(`shipping.level.${l}`)]);

/** Grams in the console's language ("1,500 g", "1,500克"). */
export const grams = (n) =>
  n === null || n === undefined ? "—" : new Intl.NumberFormat(intlLocale(), { style: "unit", unit: "gram" }).format(n);

export const days = (min, max) => t("shipping.days", { min, max });

/**
 * A form in a dialog: `controls` (fields) and, on submit, `run(form)` resolving to a
 * mutation's payload (through `mutate`, so errors show next to the fields and the dialog
 * stays open). Resolves to the payload, or null when cancelled.
 */
export async function formDialog(title, controls, run, { confirmLabel = t("save") } = {}) {
  let payload = null;
  const body = h("div", { class: "form form-dialog" }, controls);
  await confirmDialog({
    title,
    body,
    confirmLabel,
    onConfirm: async (dialog) => {
      payload = await run(dialog.querySelector("form"));
      return !!payload;
    },
  });
  return payload;
}

/** Asks, then runs a deletion; resolves to whether it was done. */
export async function confirmDelete(text, root, query, id) {
  if (!(await confirmDialog({ text, confirmLabel: t("delete"), danger: true }))) return false;
  const done = !!(await mutate(root, query, { input: { id } }));
  if (done) toast(t("shipping.deleted"));
  return done;
}

/** An integer from a form value; empty stays null, anything else goes to the API as typed. */
export function integer(value) {
  if (value === "" || value === undefined || value === null) return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : value;
}

/**
 * The countries of a zone: a search box over a list of ticks, the chosen ones first. Usable
 * with a thumb: each country is a whole row. `picker.value()` gives the chosen codes.
 */
export function countryPicker(chosen = []) {
  const picked = new Set(chosen);
  const count = h("p", { class: "field-hint", "aria-live": "polite" });
  const find = input({ type: "search", name: "countries", placeholder: t("shipping.zone.find"), autocomplete: "off", maxlength: 60 });
  const list = h("div", { class: "country-list", role: "group", "aria-label": t("shipping.zone.countries") });
  const rows = countryOptions().map(([code, name]) => {
    const box = h("input", { type: "checkbox", value: code, checked: picked.has(code) });
    box.addEventListener("change", () => {
      if (box.checked) picked.add(code);
      else picked.delete(code);
      showCount();
    });
    const row = h("label", { class: "country-row", dataset: { code, search: `${code} ${name}`.toLocaleLowerCase() } }, box, h("span", {}, name), h("span", { class: "muted mono" }, code));
    return row;
  });
  // The chosen countries on top, so that what a zone holds is seen at once.
  list.append(...rows.filter((r) => picked.has(r.dataset.code)), ...rows.filter((r) => !picked.has(r.dataset.code)));
  find.addEventListener("input", () => {
    const words = find.value.trim().toLocaleLowerCase();
    for (const row of rows) row.hidden = !!words && !row.dataset.search.includes(words);
  });
  find.addEventListener("keydown", (e) => {
    if (e.key === "Enter") e.preventDefault(); // Enter in the search box does not save the zone
  });
  const showCount = () => {
    count.textContent = plural("shipping.zone.chosen", picked.size);
  };
  showCount();
  const el = h("div", { class: "field field-wide country-picker" },
    h("label", { for: (find.id ||= newId("countries")) }, t("shipping.zone.countries")),
    find, list, count);
  el.value = () => COUNTRY_CODES.filter((code) => picked.has(code));
  return el;
}

/** The names of a zone's countries, shortened past a few. */
export function countryNames(codes, most = 8) {
  const names = codes.slice(0, most).map(countryName);
  return codes.length > most ? `${names.join(", ")} +${codes.length - most}` : names.join(", ");
}

/** The fields of a service, for a new one (`carrierId`) or one being edited. */
export function serviceControls(service) {
  return [
    field(t("shipping.service.name"), input({ name: "name", value: service?.name || "", required: true, maxlength: 100 })),
    field(t("shipping.service.level"), select("level", levelOptions(), service?.level || "STANDARD")),
    field(t("shipping.service.divisor"), input({ name: "volumetricDivisor", type: "number", min: 1000, max: 10000, step: 1, value: service?.volumetricDivisor ?? 5000, inputmode: "numeric" })),
    field(t("shipping.service.maxWeight"), input({ name: "maxWeightGrams", type: "number", min: 1, step: 1, value: service?.maxWeightGrams ?? "", inputmode: "numeric" }), { optional: true, hint: t("shipping.service.maxWeight.hint") }),
    h("label", { class: "field field-check" }, h("input", { type: "checkbox", name: "active", checked: service ? service.active : true }), t("shipping.active")),
  ];
}

export function serviceInput(form) {
  const v = formValues(form);
  return { name: v.name, level: v.level, volumetricDivisor: integer(v.volumetricDivisor), maxWeightGrams: integer(v.maxWeightGrams), active: !!v.active };
}
