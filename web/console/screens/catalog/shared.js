// What the catalog's pages share: the shop's catalog settings (its language, the locales a
// translation may use, its currency), the category tree and brands for pickers, the tabs at
// the top of the screen, and saving a form whose list fields (parameters, features) are one
// control each, so the API's errors on them land next to that control.

import { h } from "../../../lib/dom.js";
import { runMutation } from "../../../lib/forms.js";
import { languageName, t } from "../../../lib/i18n.js";
import { gql } from "../../api.js";
import { href } from "../../routes.js";

const SETTINGS_QUERY = "query CatalogSettings { catalogSettings { defaultLocale locales shopCurrency } }";

let settings = null;

/** `{defaultLocale, locales, shopCurrency}`, read once per page load. */
export async function catalogSettings() {
  settings ||= (await gql(SETTINGS_QUERY)).catalogSettings;
  return settings;
}

/** A locale's name in the console's language, with its code: "Chinese (zh)". */
export const localeLabel = (code) => `${languageName(code)} (${code})`;

const CATEGORIES_QUERY = `query CatalogCategories($after: String, $locale: String) {
  categories(first: 100, after: $after, locale: $locale) {
    nodes { id name slug description position depth parent { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every category in the shop's language, in tree order (each after its parent), with `depth`. */
export async function allCategories(locale) {
  const rows = [];
  let after = null;
  for (;;) {
    const { categories } = await gql(CATEGORIES_QUERY, { after, locale });
    rows.push(...categories.nodes);
    if (!categories.pageInfo.hasNextPage) break;
    after = categories.pageInfo.endCursor;
  }
  const byParent = new Map();
  for (const c of rows) {
    const key = c.parent?.id || "";
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(c);
  }
  const ordered = [];
  const walk = (parentId) => {
    for (const c of byParent.get(parentId) || []) {
      ordered.push(c);
      walk(c.id);
    }
  };
  walk("");
  return ordered;
}

/** Category options for a select, indented by depth. */
export const categoryOptions = (categories) =>
  categories.map((c) => [c.id, `${"\u00a0\u00a0".repeat(c.depth)}${c.depth ? "└ " : ""}${c.name}`]);

const BRANDS_QUERY = `query CatalogBrands($after: String) {
  brands(first: 100, after: $after) { nodes { id name slug description } pageInfo { hasNextPage endCursor } }
}`;

/** Every brand, by name. */
export async function allBrands() {
  const rows = [];
  let after = null;
  for (;;) {
    const { brands } = await gql(BRANDS_QUERY, { after });
    rows.push(...brands.nodes);
    if (!brands.pageInfo.hasNextPage) break;
    after = brands.pageInfo.endCursor;
  }
  return rows;
}

/** The catalog's tabs: products, categories, brands; `current` is marked. */
export function tabs(current) {
  const tab = (key, segments) =>
    h("a", { class: "tab", href: href("catalog", segments), "aria-current": key === current ? "page" : null }, t(`catalog.tab.${key}`));
  return h("nav", { class: "tabs", "aria-label": t("nav.catalog") }, tab("products", []), tab("categories", ["categories"]), tab("brands", ["brands"]));
}

// List inputs are edited as one control each (a line per entry): an error on one entry
// (`input.parameters.2.name`) is shown next to the whole control.
const LIST_FIELDS = { parameters: "parameters", features: "features", options: "options", nationalCodes: "nationalCodes" };

function tidyField(path) {
  if (!path) return path;
  const at = path.findIndex((p) => p in LIST_FIELDS);
  if (at >= 0) return path.slice(0, at + 1);
  // A new product's first variant: its weight has a control of its own.
  if (path.includes("variants") && path.at(-1) === "weightGrams") return [...path.slice(0, -1), "variantWeightGrams"];
  return path;
}

/**
 * Runs a form's mutation as `mutate` does (buttons disabled, errors by their fields, the form
 * keeping what was typed), placing errors on list entries next to their list's control.
 */
export async function save(root, query, variables) {
  const payload = await runMutation(root, async () => {
    const data = await gql(query, variables);
    for (const p of Object.values(data)) for (const e of p?.errors || []) e.field = tidyField(e.field);
    return data;
  });
  if (payload) {
    const form = root.closest?.("form[data-unsaved]") || root.querySelector?.("form[data-unsaved]");
    if (form) delete form.dataset.unsaved;
  }
  return payload;
}

/** "name: value" lines as NameValue inputs; a line without a colon is a name with no value. */
export function parseNameValues(text) {
  return String(text || "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.search(/[:：]/);
      return at < 0 ? { name: line, value: "" } : { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
    });
}

/** NameValue pairs as "name: value" lines. */
export const nameValueLines = (pairs) => (pairs || []).map((p) => `${p.name}: ${p.value}`).join("\n");

/** Options on one line ("size: M, colour: red"), as NameValue inputs. */
export const parseOptions = (text) => parseNameValues(String(text || "").replaceAll(/[,，;；]/g, "\n"));
export const optionsText = (pairs) => (pairs || []).map((p) => `${p.name}: ${p.value}`).join(", ");

/** Lines of text, blank ones left out. */
export const lines = (text) => String(text || "").split("\n").map((l) => l.trim()).filter(Boolean);

/** An ISO timestamp as the value of a `datetime-local` control, in the browser's time zone. */
export function localInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an ISO timestamp; null when empty. */
export const fromLocalInput = (value) => (value ? new Date(value).toISOString() : null);
