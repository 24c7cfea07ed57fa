// A product's translations, side by side: the shop's language on one side, read only, and the
// language being translated on the other, for each locale the shop offers. Left empty, a field
// falls back to the shop's language on the storefront.

import { h, paragraphs } from "../../../lib/dom.js";
import { field, formActions, formValues, submitButton } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { button, confirmDialog, panel, toast } from "../../ui/page.js";
import { lines, localeLabel, nameValueLines, parseNameValues, save } from "./shared.js";

const TRANSLATE = `mutation CatalogTranslateProduct($input: TranslateProductInput!) {
  translateProduct(input: $input) { translation { locale name } errors { field code message } }
}`;
const DELETE_TRANSLATION = `mutation CatalogDeleteProductTranslation($input: DeleteTranslationInput!) {
  deleteProductTranslation(input: $input) { deletedLocale errors { field code message } }
}`;

const textarea = (attrs, value) => {
  const el = h("textarea", { class: "input", ...attrs });
  el.value = value || "";
  return el;
};

/** The source text of one field, as the storefront shows it. */
const source = (label, content) => h("div", { class: "source-field" }, h("div", { class: "source-label" }, label),
  h("div", { class: "source-text" }, content || h("span", { class: "muted" }, "—")));

export function translationsPanel(p, settings, reload) {
  const targets = settings.locales.filter((c) => c !== settings.defaultLocale);
  const root = h("div", { class: "translations" });
  if (!targets.length) {
    root.append(h("p", { class: "empty" }, t("catalog.noLocales")));
    return panel(t("catalog.translations"), root, { attrs: { id: "translations" } });
  }
  const done = new Set(p.translations.map((tr) => tr.locale));
  // The first untranslated Chinese is the likeliest wish; then the first offered locale.
  let locale = targets.includes("zh") ? "zh" : targets[0];
  const picker = h("select", { class: "input", name: "translationLocale", "aria-label": t("catalog.translateInto") },
    targets.map((c) => h("option", { value: c, selected: c === locale }, `${localeLabel(c)}${done.has(c) ? " ✓" : ""}`)));
  const slot = h("div");

  function draw() {
    const tr = p.translations.find((x) => x.locale === locale) || {};
    const form = h("form", { class: "form translation-form", "data-edit": "", novalidate: true, lang: locale },
      field(t("catalog.name"), h("input", { class: "input", name: "name", value: tr.name || "", maxlength: 200, placeholder: p.name })),
      field(t("catalog.description"), textarea({ name: "description", rows: 8 }, tr.description), { wide: true }),
      field(t("catalog.parameters"), textarea({ name: "parameters", rows: 4 }, nameValueLines(tr.parameters)), { hint: t("catalog.parametersHint"), wide: true }),
      field(t("catalog.features"), textarea({ name: "features", rows: 4 }, (tr.features || []).join("\n")), { hint: t("catalog.featuresHint"), wide: true }),
      field(t("catalog.instructions"), textarea({ name: "instructions", rows: 3 }, tr.instructions), { wide: true }),
      formActions(submitButton(t("catalog.saveTranslation")),
        done.has(locale) ? button(t("catalog.deleteTranslation"), async () => {
          const ok = await confirmDialog({ title: t("catalog.deleteTranslationTitle", { language: localeLabel(locale) }), confirmLabel: t("delete"), danger: true });
          if (ok && (await mutate(form, DELETE_TRANSLATION, { input: { id: p.id, locale } }))) {
            toast(t("catalog.translationDeleted"));
            reload();
          }
        }, { kind: "secondary" }) : null));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const v = formValues(form);
      const input = {
        productId: p.id, locale, name: v.name || null, description: v.description || null,
        parameters: parseNameValues(v.parameters), features: lines(v.features), instructions: v.instructions || null,
      };
      if (await save(form, TRANSLATE, { input })) {
        toast(t("catalog.translationSaved", { language: localeLabel(locale) }));
        reload();
      }
    });
    const sourceSide = h("div", { class: "side side-source", lang: settings.defaultLocale },
      h("h3", {}, localeLabel(settings.defaultLocale)),
      source(t("catalog.name"), p.name),
      source(t("catalog.description"), p.description ? h("div", { class: "prose" }, paragraphs(p.description)) : null),
      source(t("catalog.parameters"), p.parameters.length ? nameValueLines(p.parameters) : null),
      source(t("catalog.features"), p.features.length ? h("ul", {}, p.features.map((f) => h("li", {}, f))) : null),
      source(t("catalog.instructions"), p.instructions));
    slot.replaceChildren(h("div", { class: "side-by-side" }, sourceSide,
      h("div", { class: "side side-target" }, h("h3", {}, localeLabel(locale)), form)));
  }

  picker.addEventListener("change", () => {
    if (slot.querySelector("form[data-unsaved]") && !confirm(t("screen.unsaved"))) {
      picker.value = locale;
      return;
    }
    locale = picker.value;
    draw();
  });
  draw();
  root.append(h("div", { class: "toolbar" }, field(t("catalog.translateInto"), picker)), slot);
  return panel(t("catalog.translations"), root, { attrs: { id: "translations" } });
}
