// A product's variants: a table (SKU, options, price, compare-at price, weight, units for
// sale) and one form that adds a variant or edits the one picked, with its own customs facts
// where they differ from the product's; deleting asks first.

import { h } from "../../../lib/dom.js";
import { field, formActions, formValues, input, submitButton } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { money, number } from "../../ui/format.js";
import { button, confirmDialog, panel, toast } from "../../ui/page.js";
import { variantCustomsControls, variantCustomsInput } from "./customs.js";
import { optionsText, parseOptions, save } from "./shared.js";

const FIELDS = "variant { id sku } errors { field code message }";
const CREATE_VARIANT = `mutation CatalogCreateVariant($input: CreateProductVariantInput!) { createProductVariant(input: $input) { ${FIELDS} } }`;
const UPDATE_VARIANT = `mutation CatalogUpdateVariant($input: UpdateProductVariantInput!) { updateProductVariant(input: $input) { ${FIELDS} } }`;
const DELETE_VARIANT = `mutation CatalogDeleteVariant($input: DeleteInput!) { deleteProductVariant(input: $input) { deletedId errors { field code message } } }`;

export function variantsPanel(p, settings, reload) {
  const body = h("div", { class: "variants" });
  const formSlot = h("div");

  function drawForm(variant = null) {
    const form = h("form", { class: "form variant-form", "data-edit": "", novalidate: true, "aria-label": variant ? t("catalog.editVariant") : t("catalog.addVariant") },
      h("h3", { class: "wide" }, variant ? t("catalog.editVariantOf", { sku: variant.sku }) : t("catalog.addVariant")),
      field(t("catalog.sku"), input({ name: "sku", value: variant?.sku || "", required: true, maxlength: 64 })),
      field(t("catalog.variantName"), input({ name: "name", value: variant?.name || "", maxlength: 120 }), { optional: true }),
      field(t("catalog.options"), input({ name: "options", value: optionsText(variant?.options), placeholder: t("catalog.optionsHint") }), { optional: true }),
      field(t("catalog.priceIn", { currency: settings.shopCurrency }),
        input({ name: "price", type: "number", min: 0, step: "any", inputmode: "decimal", required: true, value: variant?.shopPrice.amount || "" })),
      field(t("catalog.compareAt"), input({ name: "compareAtPrice", type: "number", min: 0, step: "any", inputmode: "decimal", value: variant?.compareAtPrice?.amount || "" }), { optional: true }),
      field(t("catalog.weight"), input({ name: "weightGrams", type: "number", min: 0, step: 1, inputmode: "numeric", value: variant?.weightGrams ?? "" }), { optional: true }),
      variant ? null : field(t("catalog.initialStock"), input({ name: "initialStock", type: "number", min: 0, step: 1, value: "0", inputmode: "numeric" })),
      ...variantCustomsControls(variant, p),
      formActions(submitButton(variant ? t("save") : t("catalog.addVariant")),
        variant ? button(t("cancel"), () => drawForm(), { kind: "secondary" }) : null));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = formValues(form);
      const fields = {
        sku: v.sku, name: v.name || "", options: parseOptions(v.options), price: v.price || "",
        compareAtPrice: v.compareAtPrice || null, weightGrams: v.weightGrams ? Number(v.weightGrams) : null,
        ...variantCustomsInput(v),
      };
      const payload = variant
        ? await save(form, UPDATE_VARIANT, { input: { id: variant.id, ...fields } })
        : await save(form, CREATE_VARIANT, { input: { productId: p.id, ...fields, initialStock: Number(v.initialStock || 0) } });
      if (payload) {
        toast(t("saved"));
        reload();
      }
    });
    formSlot.replaceChildren(form);
    if (variant) form.querySelector("[name=sku]").focus();
  }

  async function remove(variant) {
    const ok = await confirmDialog({ title: t("catalog.deleteVariantTitle"), text: t("catalog.deleteVariantText", { sku: variant.sku }), confirmLabel: t("delete"), danger: true });
    if (!ok) return;
    if (await mutate(body, DELETE_VARIANT, { input: { id: variant.id } })) {
      toast(t("catalog.variantDeleted"));
      reload();
    }
  }

  const rows = p.variants.map((v) => h("tr", { dataset: { sku: v.sku } },
    h("td", { class: "mono" }, v.sku),
    h("td", {}, [v.name, optionsText(v.options)].filter(Boolean).join(" · ") || "—"),
    h("td", { class: "num" }, money(v.shopPrice)),
    h("td", { class: "num" }, v.compareAtPrice ? money(v.compareAtPrice) : "—"),
    h("td", { class: "num" }, v.weightGrams === null ? "—" : t("catalog.grams", { n: number(v.weightGrams) })),
    h("td", { class: "num" }, number(v.stockAvailable)),
    h("td", { class: "row-actions" },
      button(t("edit"), () => drawForm(v), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${v.sku}` } }),
      button(t("delete"), () => remove(v), { kind: "quiet", attrs: { "aria-label": `${t("delete")} ${v.sku}` } }))));
  body.append(
    p.variants.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", {}, h("tr", {}, [t("catalog.sku"), t("catalog.options"), t("catalog.price"), t("catalog.compareAt"), t("catalog.weight"), t("catalog.available"), ""]
          .map((label, i) => h("th", { scope: "col", class: i >= 2 && i <= 5 ? "num" : null }, label)))),
        h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("catalog.noVariants")),
    formSlot);
  drawForm();
  return panel(t("catalog.variants"), body, { attrs: { id: "variants" } });
}
