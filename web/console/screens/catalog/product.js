// One product in the catalog: the form that creates it (with its first variant), and its page:
// the details form (texts, facets, category, brand, members-first window, customs facts), its
// status and sale window (publish, unpublish, archive, delete), its variants, its images and
// its translations.

import { h, paragraphs } from "../../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { dateTime } from "../../ui/format.js";
import { badge, button, confirmDialog, facts, pageHead, panel, state, toast } from "../../ui/page.js";
import { CUSTOMS_FIELDS, customsControls, customsInput, VARIANT_CUSTOMS_FIELDS } from "./customs.js";
import { imagesPanel } from "./images.js";
import {
  allBrands, allCategories, catalogSettings, categoryOptions, fromLocalInput, lines, localInput,
  nameValueLines, parseNameValues, parseOptions, save, tabs,
} from "./shared.js";
import { translationsPanel } from "./translations.js";
import { variantsPanel } from "./variants.js";

export const PRODUCT_FIELDS = `id name slug description parameters { name value } features instructions
  originCountry specification model material productType usage hsCode weightGrams
  customs { ${CUSTOMS_FIELDS} }
  status isVisible publishAt unpublishAt listedAt earlyAccessUntil delistWhenSoldOut createdAt updatedAt
  brand { id name } category { id name }
  images { id url alt width height position }
  variants { id sku name options { name value } shopPrice { amount currency } compareAtPrice { amount currency }
    weightGrams position stockAvailable ${VARIANT_CUSTOMS_FIELDS} }
  translations { locale name description parameters { name value } features instructions }`;

const PRODUCT_QUERY = `query CatalogProduct($id: ID!, $locale: String, $currency: CurrencyCode) {
  product(id: $id, locale: $locale, currency: $currency) { ${PRODUCT_FIELDS} }
}`;

const CREATE_PRODUCT = `mutation CatalogCreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) { product { id } errors { field code message } }
}`;

const UPDATE_PRODUCT = `mutation CatalogUpdateProduct($input: UpdateProductInput!) {
  updateProduct(input: $input) { product { id updatedAt } errors { field code message } }
}`;

const PUBLISH = `mutation CatalogPublish($input: PublishProductInput!) {
  publishProduct(input: $input) { product { id status } errors { field code message } }
}`;
const UNPUBLISH = `mutation CatalogUnpublish($input: DeleteInput!) {
  unpublishProduct(input: $input) { product { id status } errors { field code message } }
}`;
const ARCHIVE = `mutation CatalogArchive($input: DeleteInput!) {
  archiveProduct(input: $input) { product { id status } errors { field code message } }
}`;
const DELETE = `mutation CatalogDeleteProduct($input: DeleteInput!) {
  deleteProduct(input: $input) { deletedId errors { field code message } }
}`;

const textarea = (attrs, value = "") => {
  const el = h("textarea", { class: "input", ...attrs });
  el.value = value || "";
  return el;
};

/** The description with a preview of how the storefront shows it: paragraphs between blank lines. */
function descriptionField(value) {
  const area = textarea({ name: "description", rows: 8, maxlength: 20000 }, value);
  const preview = h("div", { class: "prose description-preview", "aria-live": "polite" });
  const draw = () => preview.replaceChildren(...(area.value.trim() ? paragraphs(area.value) : [h("p", { class: "muted" }, t("catalog.previewEmpty"))]));
  area.addEventListener("input", draw);
  draw();
  return h("div", { class: "field-wide description-edit" },
    field(t("catalog.description"), area, { hint: t("catalog.descriptionHint"), wide: true }),
    h("div", { class: "field" }, h("span", { class: "field-label" }, t("catalog.preview")), preview));
}

/** The details controls, named after the API's input fields. */
function detailControls(p, categories, brands) {
  const optional = { optional: true };
  return [
    field(t("catalog.name"), input({ name: "name", value: p.name || "", required: true, maxlength: 200 })),
    field(t("catalog.slug"), input({ name: "slug", value: p.slug || "", maxlength: 160, pattern: "[a-z0-9]+(-[a-z0-9]+)*" }),
      { hint: t("catalog.slugHint"), optional: true }),
    field(t("catalog.category"), select("categoryId", [["", t("none")], ...categoryOptions(categories)], p.category?.id || ""), optional),
    field(t("catalog.brand"), select("brandId", [["", t("none")], ...brands.map((b) => [b.id, b.name])], p.brand?.id || ""), optional),
    descriptionField(p.description),
    field(t("catalog.parameters"), textarea({ name: "parameters", rows: 4 }, nameValueLines(p.parameters)), { hint: t("catalog.parametersHint"), optional: true }),
    field(t("catalog.features"), textarea({ name: "features", rows: 4 }, (p.features || []).join("\n")), { hint: t("catalog.featuresHint"), optional: true }),
    field(t("catalog.instructions"), textarea({ name: "instructions", rows: 3, maxlength: 20000 }, p.instructions), { optional: true, wide: true }),
    field(t("catalog.weight"), input({ name: "weightGrams", type: "number", min: 0, step: 1, value: p.weightGrams ?? "", inputmode: "numeric" }), optional),
    field(t("catalog.model"), input({ name: "model", value: p.model || "", maxlength: 120 }), optional),
    field(t("catalog.specification"), input({ name: "specification", value: p.specification || "", maxlength: 200 }), optional),
    field(t("catalog.productType"), input({ name: "productType", value: p.productType || "", maxlength: 80 }), optional),
    field(t("catalog.usage"), input({ name: "usage", value: p.usage || "", maxlength: 80 }), optional),
    field(t("catalog.earlyAccessUntil"), input({ name: "earlyAccessUntil", type: "datetime-local", value: localInput(p.earlyAccessUntil) }),
      { hint: t("catalog.earlyAccessHint"), optional: true }),
    h("label", { class: "field field-check" },
      h("input", { type: "checkbox", name: "delistWhenSoldOut", checked: !!p.delistWhenSoldOut }), t("catalog.delistWhenSoldOut")),
    ...customsControls(p),
  ];
}

const nullable = (v) => (v === "" || v === undefined ? null : v);

/** The details form's values as the API's input. */
function detailInput(form) {
  const v = formValues(form);
  return {
    name: v.name,
    slug: nullable(v.slug),
    description: v.description || "",
    parameters: parseNameValues(v.parameters),
    features: lines(v.features),
    instructions: v.instructions || "",
    categoryId: nullable(v.categoryId),
    brandId: nullable(v.brandId),
    originCountry: nullable(v.originCountry),
    model: v.model || "",
    material: v.material || "",
    specification: v.specification || "",
    productType: v.productType || "",
    usage: v.usage || "",
    ...customsInput(v),
    weightGrams: v.weightGrams ? Number(v.weightGrams) : null,
    earlyAccessUntil: fromLocalInput(v.earlyAccessUntil),
    delistWhenSoldOut: !!v.delistWhenSoldOut,
  };
}

export async function showNewProduct(view, ctx) {
  const [settings, categories, brands] = await Promise.all([catalogSettings(), allCategories(), allBrands()]);
  if (!ctx.current()) return;
  const form = h("form", { class: "form", "data-edit": "", novalidate: true },
    ...detailControls({}, categories, brands),
    h("h2", { class: "wide" }, t("catalog.firstVariant")),
    field(t("catalog.sku"), input({ name: "sku", required: true, maxlength: 64 })),
    field(t("catalog.options"), input({ name: "options", placeholder: t("catalog.optionsHint") }), { optional: true }),
    field(t("catalog.priceIn", { currency: settings.shopCurrency }), input({ name: "price", type: "number", min: 0, step: "any", inputmode: "decimal", required: true })),
    field(t("catalog.compareAt"), input({ name: "compareAtPrice", type: "number", min: 0, step: "any", inputmode: "decimal" }), { optional: true }),
    field(t("catalog.variantWeight"), input({ name: "variantWeightGrams", type: "number", min: 0, step: 1, inputmode: "numeric" }), { optional: true }),
    field(t("catalog.initialStock"), input({ name: "initialStock", type: "number", min: 0, step: 1, value: "0", inputmode: "numeric" })),
    formActions(submitButton(t("catalog.createProduct")), h("a", { class: "button button-secondary", href: href("catalog") }, t("cancel"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const variant = {
      sku: v.sku, price: v.price || "", options: parseOptions(v.options), compareAtPrice: nullable(v.compareAtPrice),
      weightGrams: v.variantWeightGrams ? Number(v.variantWeightGrams) : null, initialStock: Number(v.initialStock || 0),
    };
    const input = { ...detailInput(form), variants: v.sku || v.price ? [variant] : [] };
    const payload = await save(form, CREATE_PRODUCT, { input });
    if (!payload) return;
    toast(t("catalog.created"));
    navigate(href("catalog", ["products", payload.product.id]));
  });
  view.replaceChildren(pageHead(t("catalog.newProduct"), { crumb: [href("catalog"), t("catalog.products")] }), tabs("products"), panel(null, form));
}

/** Status, sale window and the buttons that change them. */
function statusPanel(p, reload) {
  const windowForm = h("form", { class: "form" },
    field(t("catalog.publishAt"), input({ name: "publishAt", type: "datetime-local", value: localInput(p.publishAt) }), { optional: true, hint: t("catalog.publishAtHint") }),
    field(t("catalog.unpublishAt"), input({ name: "unpublishAt", type: "datetime-local", value: localInput(p.unpublishAt) }), { optional: true }),
  );
  const root = h("div", { class: "status-panel" });
  const run = async (query, vars, done) => {
    const payload = await mutate(root, query, vars);
    if (payload) {
      toast(done);
      reload();
    }
  };
  const publish = button(p.status === "ACTIVE" ? t("catalog.updateWindow") : t("catalog.publish"), () => {
    const v = formValues(windowForm);
    run(PUBLISH, { input: { id: p.id, publishAt: fromLocalInput(v.publishAt), unpublishAt: fromLocalInput(v.unpublishAt) } }, t("catalog.published"));
  });
  const actions = [publish];
  if (p.status === "ACTIVE") actions.push(button(t("catalog.unpublish"), () => run(UNPUBLISH, { input: { id: p.id } }, t("catalog.unpublished")), { kind: "secondary" }));
  if (p.status !== "ARCHIVED") actions.push(button(t("catalog.archive"), () => run(ARCHIVE, { input: { id: p.id } }, t("catalog.archived")), { kind: "secondary" }));
  actions.push(button(t("delete"), async () => {
    const ok = await confirmDialog({ title: t("catalog.deleteTitle"), text: t("catalog.deleteText", { name: p.name }), confirmLabel: t("delete"), danger: true });
    if (!ok) return;
    const payload = await mutate(root, DELETE, { input: { id: p.id } });
    if (payload) {
      toast(t("catalog.deleted"));
      navigate(href("catalog"));
    }
  }, { kind: "danger" }));
  root.append(
    facts([
      [t("catalog.status"), badge(p.status)],
      [t("catalog.visible"), p.isVisible ? t("catalog.visibleYes") : t("catalog.visibleNo")],
      [t("catalog.listedAt"), p.status === "DRAFT" ? null : dateTime(p.listedAt)],
      [t("catalog.updated"), dateTime(p.updatedAt)],
      [t("catalog.storefrontLink"), p.isVisible ? h("a", { href: `/#/product/${encodeURIComponent(p.slug)}`, target: "_blank", rel: "noopener" }, p.slug) : null],
    ]),
    windowForm,
    h("div", { class: "form-actions" }, actions));
  return panel(t("catalog.listing"), root, { attrs: { id: "listing" } });
}

export async function showProduct(view, ctx, id) {
  const settings = await catalogSettings();
  const [data, categories, brands] = await Promise.all([
    gql(PRODUCT_QUERY, { id, locale: settings.defaultLocale, currency: settings.shopCurrency }),
    allCategories(),
    allBrands(),
  ]);
  if (!ctx.current()) return;
  const p = data.product;
  const crumb = [href("catalog"), t("catalog.products")];
  if (!p) return view.replaceChildren(pageHead(t("catalog.product"), { crumb }), state(t("catalog.notFound"), { error: true }));
  const reload = () => ctx.current() && showProduct(view, ctx, id);

  const form = h("form", { class: "form", "data-edit": "", novalidate: true }, ...detailControls(p, categories, brands),
    formActions(submitButton(t("save"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = { id: p.id, ...detailInput(form) };
    // An emptied slug keeps the current one (a new product's is made from its name).
    if (input.slug === null) delete input.slug;
    const payload = await save(form, UPDATE_PRODUCT, { input });
    if (payload) {
      toast(t("saved"));
      reload();
    }
  });

  view.replaceChildren(
    pageHead(p.name, { crumb, actions: [badge(p.status)] }),
    tabs("products"),
    h("div", { class: "product-page" },
      h("div", { class: "product-main" },
        panel(t("catalog.details"), form, { attrs: { id: "details" } }),
        variantsPanel(p, settings, reload),
        translationsPanel(p, settings, reload)),
      h("div", { class: "product-side" },
        statusPanel(p, reload),
        imagesPanel(p))));
}
