// A product's and a variant's customs facts in their forms: the HS code with a lookup in the
// nomenclature as the merchant types (`hsCodes`), national codes per destination (a line each),
// origin, customs description, material, net weight and the flags for goods that need care.

import { h, newId } from "../../../lib/dom.js";
import { field, input, select } from "../../../lib/forms.js";
import { countryName, t } from "../../../lib/i18n.js";
import { gql } from "../../api.js";

export const CUSTOMS_FIELDS = `hsCode hs { code description } nationalCodes { country code }
  originCountry description material netWeightGrams dangerousGoods exciseGoods`;

export const VARIANT_CUSTOMS_FIELDS = `customs { hsCode hs { code description } nationalCodes { country code }
  originCountry description netWeightGrams effective { hsCode hs { code description } originCountry description netWeightGrams } }`;

const HS_CODES = `query CatalogHsCodes($search: String!, $first: Int) {
  hsCodes(search: $search, first: $first) { code description level }
}`;

export const COUNTRIES = "CN HK TW JP KR VN TH MY SG ID IN BD PK TR DE FR IT ES PT NL BE PL CZ GB IE US CA MX BR AU NZ".split(" ");

const LOOKUP_DELAY_MS = 200;

/**
 * The HS code input with its lookup: typing digits or words lists matching codes of the
 * nomenclature; picking one fills the 6-digit subheading and shows its description.
 */
export function hsCodeField(code, hs, { name = "hsCode", hint = t("catalog.hsCodeHint"), placeholder } = {}) {
  const listId = newId("hs-list");
  const control = input({
    name, value: code || "", maxlength: 20, autocomplete: "off", placeholder: placeholder || "",
    role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
  });
  const list = h("ul", { class: "hs-options", id: listId, role: "listbox", "aria-label": t("catalog.hsMatches"), hidden: true });
  const chosen = h("p", { class: "hs-chosen muted", "aria-live": "polite" }, hs ? hs.description : "");
  let options = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    control.setAttribute("aria-expanded", "false");
    control.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const pick = (entry) => {
    control.value = entry.code;
    chosen.textContent = entry.description;
    close();
    control.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const highlight = (index) => {
    active = index;
    for (const [i, li] of [...list.children].entries()) li.setAttribute("aria-selected", String(i === index));
    const li = list.children[index];
    if (li) {
      control.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView?.({ block: "nearest" });
    }
  };
  const draw = (entries) => {
    options = entries.filter((e) => e.level === "SUBHEADING");
    list.replaceChildren(...(options.length
      ? options.map((entry) => {
        const li = h("li", { id: newId("hs-opt"), role: "option", "aria-selected": "false", dataset: { code: entry.code } },
          h("span", { class: "mono" }, `${entry.code.slice(0, 4)}.${entry.code.slice(4)}`), " ", entry.description);
        li.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the input
        li.addEventListener("click", () => pick(entry));
        return li;
      })
      : [h("li", { class: "muted", role: "presentation" }, t("catalog.hsNoMatch"))]));
    list.hidden = false;
    control.setAttribute("aria-expanded", "true");
    active = -1;
  };
  const lookUp = async () => {
    const text = control.value.trim().slice(0, 100);
    if (text.replaceAll(/[\s.]/g, "").length < 2) return close();
    const mine = ++asked;
    try {
      const data = await gql(HS_CODES, { search: text, first: 12 });
      if (mine !== asked || document.activeElement !== control) return;
      draw(data.hsCodes);
      const exact = data.hsCodes.find((e) => e.code === text.replaceAll(/[\s.]/g, "") && e.level === "SUBHEADING");
      chosen.textContent = exact ? exact.description : "";
    } catch {
      close(); // the lookup is a help: typing the code still works
    }
  };
  control.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, LOOKUP_DELAY_MS);
  });
  control.addEventListener("keydown", (e) => {
    if (list.hidden || !options.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      pick(options[active]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
  control.addEventListener("blur", () => setTimeout(close, 150));

  const wrap = field(t("catalog.hsCode"), control, { hint, optional: true });
  wrap.classList.add("hs-field");
  wrap.append(list, chosen);
  return wrap;
}

/** National codes as lines "US 6109100012" (a colon or spaces between), for one textarea. */
export const nationalLines = (codes) => (codes || []).map((c) => `${c.country} ${c.code}`).join("\n");

export function parseNationalCodes(text) {
  return String(text || "").split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const m = line.match(/^([A-Za-z]{2})\s*[:：]?\s*(.+)$/);
    return m ? { country: m[1].toUpperCase(), code: m[2].trim() } : { country: "", code: line };
  });
}

const textarea = (attrs, value = "") => {
  const el = h("textarea", { class: "input", ...attrs });
  el.value = value || "";
  return el;
};

const countryOptions = (empty) => [["", empty], ...COUNTRIES.map((c) => [c, countryName(c)])];

/** The product form's customs section, its controls named after the API's input fields. */
export function customsControls(p) {
  const c = p.customs || {};
  const optional = { optional: true };
  return [
    h("h2", { class: "wide form-section" }, t("catalog.customs")),
    hsCodeField(c.hsCode ?? p.hsCode, c.hs),
    field(t("catalog.nationalCodes"), textarea({ name: "nationalCodes", rows: 3, spellcheck: "false" }, nationalLines(c.nationalCodes)),
      { hint: t("catalog.nationalCodesHint"), optional: true }),
    field(t("catalog.origin"), select("originCountry", countryOptions(t("none")), p.originCountry || ""), optional),
    field(t("catalog.customsDescription"), input({ name: "customsDescription", value: c.description || "", maxlength: 120 }),
      { hint: t("catalog.customsDescriptionHint"), optional: true }),
    field(t("catalog.material"), input({ name: "material", value: p.material || "", maxlength: 120 }), optional),
    field(t("catalog.netWeight"), input({ name: "netWeightGrams", type: "number", min: 1, step: 1, value: c.netWeightGrams ?? "", inputmode: "numeric" }),
      { hint: t("catalog.netWeightHint"), optional: true }),
    h("label", { class: "field field-check" },
      h("input", { type: "checkbox", name: "dangerousGoods", checked: !!c.dangerousGoods }), t("catalog.dangerousGoods")),
    h("label", { class: "field field-check" },
      h("input", { type: "checkbox", name: "exciseGoods", checked: !!c.exciseGoods }), t("catalog.exciseGoods")),
  ];
}

const blank = (v) => (v === "" || v === undefined ? null : v);

/** The customs section's values as the product input's fields. */
export function customsInput(v) {
  return {
    hsCode: blank(v.hsCode),
    nationalCodes: parseNationalCodes(v.nationalCodes),
    customsDescription: v.customsDescription || "",
    netWeightGrams: v.netWeightGrams ? Number(v.netWeightGrams) : null,
    dangerousGoods: !!v.dangerousGoods,
    exciseGoods: !!v.exciseGoods,
  };
}

/** A variant form's overrides: each left empty takes the product's, shown as placeholder. */
export function variantCustomsControls(variant, product) {
  const own = variant?.customs || {};
  const base = product.customs || {};
  const optional = { optional: true };
  return [
    h("h4", { class: "wide form-section" }, t("catalog.variantCustoms")),
    hsCodeField(own.hsCode, own.hs, { hint: t("catalog.overrideHint"), placeholder: base.hsCode || "" }),
    field(t("catalog.nationalCodes"), textarea({ name: "nationalCodes", rows: 2, spellcheck: "false" }, nationalLines(own.nationalCodes)),
      { hint: t("catalog.nationalCodesHint"), optional: true }),
    field(t("catalog.origin"), select("originCountry", countryOptions(t("catalog.asProduct")), own.originCountry || ""), optional),
    field(t("catalog.customsDescription"), input({ name: "customsDescription", value: own.description || "", maxlength: 120, placeholder: base.description || "" }), optional),
    field(t("catalog.netWeight"), input({ name: "netWeightGrams", type: "number", min: 1, step: 1, value: own.netWeightGrams ?? "", inputmode: "numeric", placeholder: base.netWeightGrams ?? "" }), optional),
  ];
}

/** A variant form's overrides as input fields: empty clears an override (the product's applies). */
export function variantCustomsInput(v) {
  const codes = parseNationalCodes(v.nationalCodes);
  return {
    hsCode: blank(v.hsCode),
    nationalCodes: codes.length ? codes : null,
    originCountry: blank(v.originCountry),
    customsDescription: blank(v.customsDescription),
    netWeightGrams: v.netWeightGrams ? Number(v.netWeightGrams) : null,
  };
}
