// The returns setup screen: the shop's return policy, its overrides for a category or a
// product (found by search), and the reasons shoppers pick from, with their translations,
// whether a photo is required, their order, and deactivation of those returns name.

import { h } from "../../lib/dom.js";
import { field, formValues, input, select, submitButton } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { gql, mutate } from "../api.js";
import { badge, button, confirmDialog, pageHead, panel, toast } from "../ui/page.js";
import { allCategories, categoryOptions, localeLabel } from "./catalog/shared.js";
import "./returns-policy/messages.js";

const ERRORS = "errors { field code message }";
const RULE = `id scope target { id name } returnable windowDays restockingFeeBps restockingFeePercent
  returnShippingPayer returnShippingFee { amount currency formatted }`;
const REASON = "id code name sourceName needsPhoto active position inUse translations { locale name }";
const SETUP = `query ReturnsSetup {
  returnPolicies {
    shop { ${RULE} } effectiveShop { windowDays summary } overrides { ${RULE} }
    shopCurrency defaultLocale locales
  }
  returnReasons(includeInactive: true) { ${REASON} }
}`;
const SET_POLICY = `mutation SetReturnPolicy($input: SetReturnPolicyInput!) {
  setReturnPolicy(input: $input) { created policy { ${RULE} } ${ERRORS} } }`;
const REMOVE_POLICY = `mutation RemoveReturnPolicy($input: RemoveReturnPolicyInput!) {
  removeReturnPolicy(input: $input) { removed ${ERRORS} } }`;
const FIND_PRODUCTS = `query ReturnsFindProducts($search: String!) {
  products(first: 8, filter: { search: $search }) { nodes { id name } } }`;
const CREATE_REASON = `mutation CreateReturnReason($input: CreateReturnReasonInput!) {
  createReturnReason(input: $input) { reason { ${REASON} } ${ERRORS} } }`;
const UPDATE_REASON = `mutation UpdateReturnReason($input: UpdateReturnReasonInput!) {
  updateReturnReason(input: $input) { reason { ${REASON} } ${ERRORS} } }`;
const TRANSLATE_REASON = `mutation TranslateReturnReason($input: TranslateReturnReasonInput!) {
  translateReturnReason(input: $input) { reason { id } ${ERRORS} } }`;
const REORDER_REASONS = `mutation ReorderReturnReasons($input: ReorderReturnReasonsInput!) {
  reorderReturnReasons(input: $input) { reasons { id } ${ERRORS} } }`;
const DELETE_REASON = `mutation DeleteReturnReason($input: DeleteReturnReasonInput!) {
  deleteReturnReason(input: $input) { deletedId ${ERRORS} } }`;

export async function show(view, ctx) {
  const data = await gql(SETUP);
  if (!ctx.current()) return;
  const redraw = () => show(view, ctx);
  const { shop, effectiveShop, overrides, shopCurrency, defaultLocale, locales } = data.returnPolicies;
  const settings = { shopCurrency, defaultLocale, locales };
  view.replaceChildren(
    pageHead(t("return-policy.title")),
    shopPanel(shop, effectiveShop, settings, redraw),
    overridesPanel(overrides, settings, redraw),
    reasonsPanel(data.returnReasons, settings, redraw));
}

/** A policy's terms in a few words: "Final sale" or "30 days · customer pays $8.00 · 10 %". */
function terms(rule) {
  if (!rule.returnable) return t("return-policy.finalSale");
  const parts = [t("return-policy.days", { n: rule.windowDays })];
  parts.push(rule.returnShippingPayer === "MERCHANT"
    ? t("return-policy.merchantPays")
    : t("return-policy.customerPays", { fee: rule.returnShippingFee.formatted }));
  if (rule.restockingFeeBps) parts.push(t("return-policy.restocking", { percent: rule.restockingFeePercent }));
  return parts.join(" · ");
}

/** The controls of a policy's terms; `rule` fills them (null: the built-in default). */
function termControls(rule, settings) {
  const returnable = h("input", { type: "checkbox", name: "returnable", checked: rule ? rule.returnable : true });
  return [
    h("label", { class: "field field-check" }, returnable, t("return-policy.returnable")),
    field(t("return-policy.windowDays"), input({ name: "windowDays", type: "number", min: 0, max: 365, step: 1, inputmode: "numeric", required: true, value: rule ? rule.windowDays : 30 }),
      { hint: t("return-policy.windowDays.hint") }),
    field(t("return-policy.restockingFee"), input({ name: "restockingFeeBps", type: "number", min: 0, max: 50, step: 0.01, inputmode: "decimal", value: rule ? rule.restockingFeePercent : 0 })),
    field(t("return-policy.payer"), select("returnShippingPayer", [
      ["CUSTOMER", t("return-policy.payer.CUSTOMER")], ["MERCHANT", t("return-policy.payer.MERCHANT")],
    ], rule ? rule.returnShippingPayer : "CUSTOMER")),
    field(t("return-policy.fee", { currency: settings.shopCurrency }), input({ name: "returnShippingFee", type: "number", min: 0, step: "any", inputmode: "decimal", value: rule ? rule.returnShippingFee.amount : 0 }),
      { hint: t("return-policy.fee.hint") }),
  ];
}

/** The terms a form holds, as `SetReturnPolicyInput` takes them. */
function termInput(form) {
  const v = formValues(form);
  const number = (value, fallback = 0) => (value === "" || value === undefined ? fallback : Number(value));
  return {
    returnable: !!v.returnable,
    windowDays: number(v.windowDays, 30),
    // Shown as a percentage, kept in basis points.
    restockingFeeBps: Math.round(number(v.restockingFeeBps) * 100),
    returnShippingPayer: v.returnShippingPayer || "CUSTOMER",
    returnShippingFee: String(v.returnShippingFee || "0"),
  };
}

function shopPanel(shop, effective, settings, redraw) {
  const form = h("form", { class: "form", "aria-label": t("return-policy.shop") },
    h("p", { class: "muted", dataset: { summary: "" } }, shop ? effective.summary : t("return-policy.shop.default", { summary: effective.summary })),
    termControls(shop, settings),
    h("div", { class: "form-actions" }, submitButton(t("save"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const payload = await mutate(form, SET_POLICY, { input: { scope: "SHOP", ...termInput(form) } });
    if (payload) {
      toast(t("return-policy.saved"));
      redraw();
    }
  });
  return panel(t("return-policy.shop"), form, { attrs: { id: "returns-shop-policy" } });
}

/** A form in a dialog; resolves to the mutation's payload, or null when cancelled. */
async function formDialog(title, controls, run) {
  let payload = null;
  await confirmDialog({
    title,
    body: h("div", { class: "form form-dialog" }, controls),
    confirmLabel: t("save"),
    onConfirm: async (dialog) => {
      payload = await run(dialog.querySelector("form"));
      return !!payload;
    },
  });
  return payload;
}

/** A product search: type, then pick one of the matches; `value()` is the chosen product's ID. */
function productPicker() {
  let chosen = null;
  const results = h("ul", { class: "picker-results", role: "listbox", "aria-label": t("return-policy.product.matches") });
  const search = input({ name: "search", type: "search", autocomplete: "off", placeholder: t("return-policy.product.search") });
  const picked = h("input", { type: "hidden", name: "targetId" });
  let seq = 0;
  search.addEventListener("input", async () => {
    const mine = ++seq;
    const term = search.value.trim();
    if (term.length < 2) return results.replaceChildren();
    const { products } = await gql(FIND_PRODUCTS, { search: term });
    if (mine !== seq) return;
    results.replaceChildren(...(products.nodes.length ? products.nodes.map((p) => h("li", {},
      h("button", { type: "button", class: "button button-quiet", role: "option", "aria-selected": String(chosen === p.id), onclick: () => {
        chosen = p.id;
        picked.value = p.id;
        search.value = p.name;
        results.replaceChildren();
      } }, p.name))) : [h("li", { class: "muted" }, t("return-policy.product.none"))]));
  });
  const control = field(t("return-policy.product"), search, { wide: true });
  control.append(picked, results);
  control.value = () => chosen;
  return control;
}

function overrideDialog(kind, rule, settings, categories, done) {
  const controls = [];
  let target = () => rule.target.id;
  if (!rule) {
    if (kind === "CATEGORY") {
      controls.push(field(t("return-policy.category"), select("targetId", categoryOptions(categories), "", { required: true })));
      target = () => null;
    } else {
      const picker = productPicker();
      controls.push(picker);
      target = () => picker.value();
    }
  }
  controls.push(...termControls(rule, settings));
  const title = rule ? t("return-policy.override.edit", { name: rule.target.name }) : t(`return-policy.override.new.${kind}`);
  return formDialog(title, controls, (form) => {
    const targetId = target() || formValues(form).targetId || null;
    return mutate(form, SET_POLICY, { input: { scope: kind, targetId, ...termInput(form) } });
  }).then((payload) => payload && done());
}

function overridesPanel(overrides, settings, redraw) {
  const root = h("div");
  let categories = null;
  const open = async (kind, rule = null) => {
    if (kind === "CATEGORY" && !categories) categories = await allCategories(settings.defaultLocale);
    overrideDialog(kind, rule, settings, categories, redraw);
  };
  root.append(overrides.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("return-policy.override.target")),
        h("th", { scope: "col" }, t("return-policy.override.kind")),
        h("th", { scope: "col" }, t("return-policy.override.terms")),
        h("th", {}))),
      h("tbody", {}, overrides.map((o) => h("tr", { dataset: { override: o.target.name } },
        h("td", {}, o.target.name),
        h("td", {}, t(`return-policy.scope.${o.scope}`)),
        h("td", {}, o.returnable ? terms(o) : badge("FINAL_SALE", { label: t("return-policy.finalSale"), tone: "warn" })),
        h("td", { class: "num" }, h("div", { class: "actions row-actions" },
          button(t("edit"), () => open(o.scope, o), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${o.target.name}` } }),
          button(t("return-policy.remove"), async () => {
            if (!(await confirmDialog({ text: t("return-policy.override.remove", { name: o.target.name }), confirmLabel: t("return-policy.remove"), danger: true }))) return;
            if (await mutate(root, REMOVE_POLICY, { input: { scope: o.scope, targetId: o.target.id } })) redraw();
          }, { kind: "quiet", attrs: { "aria-label": `${t("return-policy.remove")} ${o.target.name}` } }))))))))
    : h("p", { class: "empty" }, t("return-policy.overrides.empty")));
  return panel(t("return-policy.overrides"), root, {
    actions: [
      button(t("return-policy.override.new.CATEGORY"), () => open("CATEGORY"), { kind: "secondary" }),
      button(t("return-policy.override.new.PRODUCT"), () => open("PRODUCT"), { kind: "secondary" }),
    ],
    attrs: { id: "returns-overrides" },
  });
}

function reasonDialog(reason, settings, done) {
  const others = settings.locales.filter((l) => l !== settings.defaultLocale);
  const byLocale = Object.fromEntries((reason?.translations || []).map((tr) => [tr.locale, tr.name]));
  const controls = [
    field(t("return-policy.reason.name"), input({ name: "name", required: true, maxlength: 120, value: reason?.sourceName || "" }),
      { hint: t("return-policy.reason.name.hint", { locale: localeLabel(settings.defaultLocale) }) }),
    h("label", { class: "field field-check" }, h("input", { type: "checkbox", name: "needsPhoto", checked: !!reason?.needsPhoto }), t("return-policy.reason.needsPhoto")),
    reason ? h("fieldset", { class: "form-grid" }, h("legend", {}, t("return-policy.reason.translations")),
      others.map((locale) => field(localeLabel(locale), input({ name: `translation-${locale}`, maxlength: 120, value: byLocale[locale] || "", lang: locale }), { optional: true }))) : null,
  ];
  return formDialog(reason ? t("return-policy.reason.edit") : t("return-policy.reason.new"), controls, async (form) => {
    const v = formValues(form);
    if (!reason) return mutate(form, CREATE_REASON, { input: { name: v.name, needsPhoto: !!v.needsPhoto } });
    const saved = await mutate(form, UPDATE_REASON, { input: { id: reason.id, name: v.name, needsPhoto: !!v.needsPhoto } });
    if (!saved) return null;
    for (const locale of others) {
      const name = (v[`translation-${locale}`] || "").trim();
      if (name === (byLocale[locale] || "")) continue;
      if (!(await mutate(form, TRANSLATE_REASON, { input: { id: reason.id, locale, name } }))) return null;
    }
    return saved;
  }).then((payload) => payload && done());
}

function reasonsPanel(reasons, settings, redraw) {
  const root = h("div");
  const move = async (index, by) => {
    const ids = reasons.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved);
    if (await mutate(root, REORDER_REASONS, { input: { ids } })) redraw();
  };
  const rows = reasons.map((r, i) => h("tr", { dataset: { reason: r.code } },
    h("td", {}, r.sourceName,
      r.translations.length ? h("div", { class: "muted" }, r.translations.map((tr) => `${tr.locale}: ${tr.name}`).join(" · ")) : null),
    h("td", {}, r.needsPhoto ? t("return-policy.reason.photoRequired") : "—"),
    h("td", {}, badge(r.active ? "ACTIVE" : "DISABLED", { label: r.active ? t("return-policy.reason.active") : t("return-policy.reason.inactive") })),
    h("td", { class: "num" }, h("div", { class: "actions row-actions" },
      button("↑", () => move(i, -1), { kind: "quiet", attrs: { disabled: i === 0, "aria-label": t("return-policy.reason.up", { name: r.sourceName }) } }),
      button("↓", () => move(i, 1), { kind: "quiet", attrs: { disabled: i === reasons.length - 1, "aria-label": t("return-policy.reason.down", { name: r.sourceName }) } }),
      button(t("edit"), () => reasonDialog(r, settings, redraw), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${r.sourceName}` } }),
      button(r.active ? t("return-policy.reason.deactivate") : t("return-policy.reason.activate"), async () => {
        if (await mutate(root, UPDATE_REASON, { input: { id: r.id, active: !r.active } })) redraw();
      }, { kind: "quiet", attrs: { "aria-label": `${r.active ? t("return-policy.reason.deactivate") : t("return-policy.reason.activate")} ${r.sourceName}` } }),
      r.inUse ? null : button(t("delete"), async () => {
        if (!(await confirmDialog({ text: t("return-policy.reason.delete", { name: r.sourceName }), confirmLabel: t("delete"), danger: true }))) return;
        if (await mutate(root, DELETE_REASON, { input: { id: r.id } })) redraw();
      }, { kind: "quiet", attrs: { "aria-label": `${t("delete")} ${r.sourceName}` } })))));
  root.append(h("p", { class: "muted" }, t("return-policy.reasons.hint")),
    h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("return-policy.reason.name")),
        h("th", { scope: "col" }, t("return-policy.reason.photo")),
        h("th", { scope: "col" }, t("return-policy.reason.status")),
        h("th", {}))),
      h("tbody", {}, rows))));
  return panel(t("return-policy.reasons"), root, {
    actions: [button(t("return-policy.reason.new"), () => reasonDialog(null, settings, redraw), { kind: "secondary" })],
    attrs: { id: "returns-reasons" },
  });
}
