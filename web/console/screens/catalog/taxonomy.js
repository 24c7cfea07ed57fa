// The category tree (create, rename, move under another parent, delete, translations) and the
// brands (list, create, edit, delete). The category or brand being edited is in the address
// (`#/catalog/categories?id=<id>`), so reloading keeps it open.

import { h } from "../../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { button, confirmDialog, pageHead, panel, state, toast } from "../../ui/page.js";
import { allBrands, allCategories, catalogSettings, categoryOptions, localeLabel, save, tabs } from "./shared.js";

const CATEGORY_FIELDS = "category { id name slug depth parent { id } } errors { field code message }";
const CREATE_CATEGORY = `mutation CatalogCreateCategory($input: CreateCategoryInput!) { createCategory(input: $input) { ${CATEGORY_FIELDS} } }`;
const UPDATE_CATEGORY = `mutation CatalogUpdateCategory($input: UpdateCategoryInput!) { updateCategory(input: $input) { ${CATEGORY_FIELDS} } }`;
const DELETE_CATEGORY = `mutation CatalogDeleteCategory($input: DeleteInput!) { deleteCategory(input: $input) { deletedId errors { field code message } } }`;
const TRANSLATE_CATEGORY = `mutation CatalogTranslateCategory($input: TranslateCategoryInput!) { translateCategory(input: $input) { category { id } errors { field code message } } }`;
const DELETE_CATEGORY_TRANSLATION = `mutation CatalogDeleteCategoryTranslation($input: DeleteTranslationInput!) {
  deleteCategoryTranslation(input: $input) { deletedLocale errors { field code message } } }`;
const CATEGORY_IN = `query CatalogCategoryIn($id: ID!, $locale: String) { category(id: $id, locale: $locale) { id name description } }`;

const BRAND_FIELDS = "brand { id name slug } errors { field code message }";
const CREATE_BRAND = `mutation CatalogCreateBrand($input: CreateBrandInput!) { createBrand(input: $input) { ${BRAND_FIELDS} } }`;
const UPDATE_BRAND = `mutation CatalogUpdateBrand($input: UpdateBrandInput!) { updateBrand(input: $input) { ${BRAND_FIELDS} } }`;
const DELETE_BRAND = `mutation CatalogDeleteBrand($input: DeleteInput!) { deleteBrand(input: $input) { deletedId errors { field code message } } }`;

const textarea = (attrs, value) => {
  const el = h("textarea", { class: "input", ...attrs });
  el.value = value || "";
  return el;
};

/** A category and every category below it. */
function subtree(categories, id) {
  const ids = new Set([id]);
  for (const c of categories) if (c.parent && ids.has(c.parent.id)) ids.add(c.id);
  return ids;
}

function categoryTranslations(category, settings) {
  const targets = settings.locales.filter((c) => c !== settings.defaultLocale);
  if (!targets.length) return null;
  let locale = targets.includes("zh") ? "zh" : targets[0];
  const slot = h("div");
  const picker = h("select", { class: "input", "aria-label": t("catalog.translateInto") }, targets.map((c) => h("option", { value: c, selected: c === locale }, localeLabel(c))));

  async function draw() {
    let shown;
    try {
      ({ category: shown } = await gql(CATEGORY_IN, { id: category.id, locale }));
    } catch (err) {
      slot.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
      return;
    }
    // Untranslated, the API answers in the shop's language: nothing to prefill then.
    const hasName = !!shown && shown.name !== category.name;
    const hasDescription = !!shown && shown.description !== category.description;
    const translated = { name: hasName ? shown.name : "", description: hasDescription ? shown.description : "" };
    const form = h("form", { class: "form", "data-edit": "", lang: locale, novalidate: true },
      field(t("catalog.name"), input({ name: "name", value: translated.name || "", maxlength: 120, placeholder: category.name })),
      field(t("catalog.description"), textarea({ name: "description", rows: 3 }, translated.description), { optional: true, wide: true }),
      formActions(submitButton(t("catalog.saveTranslation")),
        hasName || hasDescription ? button(t("catalog.deleteTranslation"), async () => {
          if (await mutate(form, DELETE_CATEGORY_TRANSLATION, { input: { id: category.id, locale } })) {
            toast(t("catalog.translationDeleted"));
            draw();
          }
        }, { kind: "secondary" }) : null));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = formValues(form);
      if (await save(form, TRANSLATE_CATEGORY, { input: { categoryId: category.id, locale, name: v.name || null, description: v.description || null } })) {
        toast(t("catalog.translationSaved", { language: localeLabel(locale) }));
        draw();
      }
    });
    slot.replaceChildren(h("div", { class: "side-by-side" },
      h("div", { class: "side side-source", lang: settings.defaultLocale }, h("h3", {}, localeLabel(settings.defaultLocale)),
        h("div", { class: "source-field" }, h("div", { class: "source-label" }, t("catalog.name")), h("div", { class: "source-text" }, category.name)),
        h("div", { class: "source-field" }, h("div", { class: "source-label" }, t("catalog.description")), h("div", { class: "source-text" }, category.description || "—"))),
      h("div", { class: "side side-target" }, h("h3", {}, localeLabel(locale)), form)));
  }
  picker.addEventListener("change", () => {
    locale = picker.value;
    draw();
  });
  draw();
  return panel(t("catalog.translations"), [h("div", { class: "toolbar" }, field(t("catalog.translateInto"), picker)), slot], { attrs: { id: "category-translations" } });
}

export async function showCategories(view, ctx) {
  const settings = await catalogSettings();
  const categories = await allCategories(settings.defaultLocale);
  if (!ctx.current()) return;
  const chosen = categories.find((c) => c.id === ctx.params.get("id"));
  const redraw = () => ctx.current() && showCategories(view, ctx);
  const open = (id) => navigate(href("catalog", ["categories"], id ? { id } : {}));

  const tree = categories.length
    ? h("ul", { class: "category-tree" }, categories.map((c) => h("li", { style: `--depth: ${c.depth}`, class: c.id === chosen?.id ? "is-selected" : null, dataset: { id: c.id } },
      h("a", { href: href("catalog", ["categories"], { id: c.id }) }, c.name), h("span", { class: "muted mono" }, ` ${c.slug}`))))
    : h("p", { class: "empty" }, t("catalog.noCategories"));

  const createForm = h("form", { class: "form", "data-edit": "", novalidate: true },
    field(t("catalog.name"), input({ name: "name", required: true, maxlength: 120 })),
    field(t("catalog.slug"), input({ name: "slug", maxlength: 140 }), { optional: true }),
    field(t("catalog.parent"), select("parentId", [["", t("catalog.topLevel")], ...categoryOptions(categories)], chosen?.id || "")),
    formActions(submitButton(t("catalog.createCategory"))));
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(createForm);
    const payload = await save(createForm, CREATE_CATEGORY, { input: { name: v.name, slug: v.slug || null, parentId: v.parentId || null } });
    if (payload) {
      toast(t("catalog.categoryCreated"));
      open(payload.category.id);
    }
  });

  let editor = null;
  if (chosen) {
    const below = subtree(categories, chosen.id);
    const form = h("form", { class: "form", "data-edit": "", novalidate: true, "aria-label": t("catalog.editCategory") },
      field(t("catalog.name"), input({ name: "name", value: chosen.name, required: true, maxlength: 120 })),
      field(t("catalog.slug"), input({ name: "slug", value: chosen.slug, maxlength: 140 })),
      field(t("catalog.parent"), select("parentId", [["", t("catalog.topLevel")], ...categoryOptions(categories.filter((c) => !below.has(c.id)))], chosen.parent?.id || ""),
        { hint: t("catalog.moveHint") }),
      field(t("catalog.position"), input({ name: "position", type: "number", step: 1, value: chosen.position, inputmode: "numeric" })),
      field(t("catalog.description"), textarea({ name: "description", rows: 3 }, chosen.description), { optional: true, wide: true }),
      formActions(submitButton(t("save")),
        button(t("delete"), async () => {
          const ok = await confirmDialog({ title: t("catalog.deleteCategoryTitle"), text: t("catalog.deleteCategoryText", { name: chosen.name }), confirmLabel: t("delete"), danger: true });
          if (ok && (await mutate(form, DELETE_CATEGORY, { input: { id: chosen.id } }))) {
            toast(t("catalog.categoryDeleted"));
            open(null);
          }
        }, { kind: "danger" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = formValues(form);
      const input = { id: chosen.id, name: v.name, description: v.description || "", parentId: v.parentId || null, position: Number(v.position || 0) };
      if (v.slug) input.slug = v.slug;
      if (await save(form, UPDATE_CATEGORY, { input })) {
        toast(t("saved"));
        redraw();
      }
    });
    editor = [panel(t("catalog.editCategoryNamed", { name: chosen.name }), form, { attrs: { id: "category-edit" } }), categoryTranslations(chosen, settings)];
  }

  view.replaceChildren(
    pageHead(t("catalog.tab.categories")),
    tabs("categories"),
    h("div", { class: "columns" },
      panel(t("catalog.tree"), tree, { attrs: { id: "category-tree" } }),
      h("div", {}, editor, panel(t("catalog.newCategory"), createForm))));
}

export async function showBrands(view, ctx) {
  const brands = await allBrands();
  if (!ctx.current()) return;
  const chosen = brands.find((b) => b.id === ctx.params.get("id"));
  const open = (id) => navigate(href("catalog", ["brands"], id ? { id } : {}));

  function brandForm(brand) {
    const form = h("form", { class: "form", "data-edit": "", novalidate: true },
      field(t("catalog.name"), input({ name: "name", value: brand?.name || "", required: true, maxlength: 120 })),
      field(t("catalog.slug"), input({ name: "slug", value: brand?.slug || "", maxlength: 140 }), { optional: !brand }),
      field(t("catalog.description"), textarea({ name: "description", rows: 3 }, brand?.description), { optional: true, wide: true }),
      formActions(submitButton(brand ? t("save") : t("catalog.createBrand")),
        brand ? button(t("delete"), async () => {
          const ok = await confirmDialog({ title: t("catalog.deleteBrandTitle"), text: t("catalog.deleteBrandText", { name: brand.name }), confirmLabel: t("delete"), danger: true });
          if (ok && (await mutate(form, DELETE_BRAND, { input: { id: brand.id } }))) {
            toast(t("catalog.brandDeleted"));
            open(null);
          }
        }, { kind: "danger" }) : null));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = formValues(form);
      const fields = { name: v.name, description: v.description || "" };
      if (v.slug || !brand) fields.slug = v.slug || null;
      const payload = brand
        ? await save(form, UPDATE_BRAND, { input: { id: brand.id, ...fields } })
        : await save(form, CREATE_BRAND, { input: fields });
      if (payload) {
        toast(t("saved"));
        if (brand) showBrands(view, ctx);
        else open(payload.brand.id);
      }
    });
    return form;
  }

  const table = brands.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("catalog.name")), h("th", { scope: "col" }, t("catalog.slug")))),
      h("tbody", {}, brands.map((b) => h("tr", { class: b.id === chosen?.id ? "is-selected" : null },
        h("td", {}, h("a", { href: href("catalog", ["brands"], { id: b.id }) }, b.name)), h("td", { class: "mono" }, b.slug))))))
    : h("p", { class: "empty" }, t("catalog.noBrands"));

  view.replaceChildren(
    pageHead(t("catalog.tab.brands")),
    tabs("brands"),
    h("div", { class: "columns" },
      panel(t("catalog.tab.brands"), table),
      h("div", {},
        chosen ? panel(t("catalog.editBrandNamed", { name: chosen.name }), brandForm(chosen), { attrs: { id: "brand-edit" } }) : null,
        panel(t("catalog.newBrand"), brandForm(null)))));
}

