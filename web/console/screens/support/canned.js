// Canned replies (`#/support/canned`): the shop's ready answers with a shortcut, a title, a
// text with placeholders and its translations. Choosing one fills the form to change it;
// the form empty adds a new one.

import { h } from "../../../lib/dom.js";
import { field, formValues, input } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { button, pageHead, panel, state, toast } from "../../ui/page.js";
import { CANNED_FULL, CREATE_CANNED, DELETE_CANNED, UPDATE_CANNED } from "./documents.js";

export const PLACEHOLDERS = ["customer_name", "order_number", "tracking_link", "conversation_number", "shop_name"];

/** Translations from the form's text: one `locale: text` block per language, blank lines apart. */
function parseTranslations(text) {
  return text.split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean).map((block) => {
    const [locale, ...rest] = block.split(":");
    return { locale: locale.trim(), body: rest.join(":").trim() };
  });
}
const translationsText = (rows) => rows.map((r) => `${r.locale}: ${r.body}`).join("\n\n");

export async function showCanned(view, ctx) {
  let replies;
  try {
    replies = (await gql(CANNED_FULL)).cannedReplies;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(err.message, { error: true }));
    return;
  }
  if (!ctx.current()) return;
  let editing = null;
  const form = h("form", { class: "form canned-form", novalidate: true });
  const list = h("ul", { class: "plain-list canned-list" });

  const drawForm = () => {
    const r = editing;
    form.replaceChildren(
      field(t("support.canned.shortcut"), input({ name: "shortcut", value: r?.shortcut || "", maxlength: 40 })),
      field(t("support.canned.titleField"), input({ name: "title", value: r?.title || "", maxlength: 120 })),
      field(t("support.canned.body"), h("textarea", { class: "input", name: "body", rows: 5, maxlength: 10000 }, r?.body || ""),
        { hint: t("support.canned.placeholders", { list: PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ") }) }),
      field(t("support.canned.translations"), h("textarea", { class: "input", name: "translations", rows: 4 }, translationsText(r?.translations || [])),
        { hint: t("support.canned.translationsHint"), optional: true }),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "active", checked: r ? r.active : true }), ` ${t("support.canned.active")}`),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "button" }, r ? t("support.canned.save") : t("support.canned.add")),
        r ? button(t("support.canned.new"), () => { editing = null; drawForm(); }, { kind: "secondary" }) : null));
  };
  const drawList = () => {
    list.replaceChildren(...(replies.length ? replies.map((r) => h("li", { class: "canned-item" },
      h("a", { href: "#", onclick: (e) => { e.preventDefault(); editing = r; drawForm(); } }, `/${r.shortcut}`),
      ` · ${r.title}${r.active ? "" : ` (${t("support.canned.inactive")})`}`,
      button(t("support.canned.delete"), async (e) => {
        const payload = await mutate(e.target.closest("li"), DELETE_CANNED, { input: { id: r.id } });
        if (payload) await reload();
      }, { kind: "secondary button-small" }))) : [h("li", { class: "muted" }, t("support.canned.none"))]));
  };
  const reload = async () => {
    replies = (await gql(CANNED_FULL)).cannedReplies;
    drawList();
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const fields = { shortcut: v.shortcut || "", title: v.title || "", body: form.elements.body.value, active: !!v.active,
      translations: parseTranslations(form.elements.translations.value) };
    const payload = editing
      ? await mutate(form, UPDATE_CANNED, { input: { id: editing.id, ...fields } })
      : await mutate(form, CREATE_CANNED, { input: fields });
    if (!payload) return;
    toast(t("support.canned.saved"));
    editing = null;
    drawForm();
    await reload();
  });
  drawForm();
  drawList();
  view.replaceChildren(pageHead(t("support.canned.title"), { crumb: [href("support"), t("support.back")] }),
    h("div", { class: "columns" }, panel(t("support.canned.list"), list), panel(t("support.canned.edit"), form)));
}
