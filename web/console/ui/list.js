// A list that pages, filters and sorts on the server. Its filters, sort and page live in the
// address (`#/orders?status=SHIPPED&after=…`), so reloading or sharing it shows the same page;
// changing them navigates, and the screen is drawn again from the new address.

import { h } from "../../lib/dom.js";
import { field, input, select } from "../../lib/forms.js";
import { navigate } from "../../lib/router.js";
import { plural, t } from "../../lib/i18n.js";
import { gql } from "../api.js";
import { href } from "../routes.js";
import { state } from "./page.js";

// Address parameters the list itself keeps: the page's cursors.
const CURSORS = ["after", "before"];

/** A filter control of the toolbar, named after its address parameter. */
function filterControl(f, value) {
  if (f.type === "select")
    return select(f.name, [["", f.allLabel || t("all")], ...f.options], value, { "aria-label": f.label });
  const attrs = { name: f.name, value: value || "", maxlength: f.maxlength || 200 };
  if (f.type === "date") return input({ ...attrs, type: "date" });
  if (f.type === "number") return input({ ...attrs, type: "number", step: f.step || "any", min: f.min ?? null, inputmode: "decimal" });
  if (f.type === "search") return input({ ...attrs, type: "search", placeholder: f.placeholder || t("search"), enterkeyhint: "search" });
  return input({ ...attrs, placeholder: f.placeholder || null });
}

/**
 * A list over a connection. `ctx` is the screen's context (its `path`, `segments`, `params`).
 * `query` takes `$first, $after, $last, $before` and whatever `variables(params)` gives from
 * the address; `pick(data)` is the connection (with `nodes`, `pageInfo`, `totalCount`).
 * `filters`: `[{name, label, type: search|select|date|number|text, options}]`; `sorts`:
 * `[[value, label]]` under the parameter `sort`, the first being the default. `columns`:
 * `[{label, cell(node), num}]`. `rowHref(node)` makes rows links. Returns the element, with
 * `reload()` to read the same page again.
 */
export function serverList({ ctx, query, pick, variables = () => ({}), filters = [], sorts = null, columns, rowHref = null, pageSize = 25, empty = t("list.empty"), label = "" }) {
  const params = ctx.params;
  const go = (values) => navigate(href(ctx.path, ctx.segments, values));
  const kept = () => Object.fromEntries([...params].filter(([name]) => !CURSORS.includes(name)));

  const toolbar = h("form", { class: "toolbar", role: "search" });
  for (const f of filters) {
    const control = filterControl(f, params.get(f.name));
    toolbar.append(field(f.label, control, {}));
    if (f.type === "search") control.closest(".field").classList.add("field-search");
  }
  if (sorts) toolbar.append(field(t("sortBy"), select("sort", sorts, params.get("sort") || sorts[0][0])));
  if (filters.length || sorts) {
    toolbar.append(h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, t("apply")),
      h("button", { type: "button", class: "button button-secondary", onclick: () => go({}) }, t("clear"))));
  }
  toolbar.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = {};
    for (const el of toolbar.elements) if (el.name && el.value.trim()) values[el.name] = el.value.trim();
    go(values);
  });
  // A select applies at once: one tap on a phone.
  toolbar.addEventListener("change", (e) => {
    if (e.target.tagName === "SELECT") toolbar.requestSubmit();
  });

  const table = h("table", { class: "data" });
  const wrap = h("div", { class: "table-wrap" }, table);
  const foot = h("div", { class: "list-foot" });
  const status = h("div", { "aria-live": "polite" });
  const root = h("div", { class: "list", "aria-label": label || null }, filters.length || sorts ? toolbar : null, status, wrap, foot);

  function head() {
    return h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null, scope: "col" }, c.label))));
  }

  function row(node) {
    const link = rowHref ? rowHref(node) : null;
    const tr = h("tr", { dataset: link ? { href: link } : {} },
      columns.map((c, i) => {
        let content = c.cell(node);
        // The first cell carries the link, so the row is reachable by keyboard too.
        if (link && i === 0 && !(content instanceof Node && content.tagName === "A")) content = h("a", { href: link }, content);
        return h("td", { class: c.num ? "num" : null }, content);
      }));
    if (link) tr.addEventListener("click", (e) => {
      if (!e.target.closest("a, button, input, select, label")) navigate(link);
    });
    return tr;
  }

  async function load() {
    const vars = { ...variables(params) };
    if (params.get("before")) Object.assign(vars, { last: pageSize, before: params.get("before") });
    else Object.assign(vars, { first: pageSize, after: params.get("after") || null });
    root.classList.add("list-busy");
    status.replaceChildren(state(t("loading")));
    let conn;
    try {
      conn = pick(await gql(query, vars));
    } catch (err) {
      status.replaceChildren(state(t("list.failed", { message: err.message }), { error: true }));
      root.classList.remove("list-busy");
      return;
    }
    root.classList.remove("list-busy");
    status.replaceChildren();
    const nodes = conn.nodes || conn.edges.map((e) => e.node);
    table.replaceChildren(head(), h("tbody", {}, nodes.map(row)));
    if (!nodes.length) status.replaceChildren(h("p", { class: "empty" }, empty));
    wrap.hidden = !nodes.length;
    const info = conn.pageInfo;
    foot.replaceChildren(
      h("span", { class: "count" }, conn.totalCount !== undefined ? plural("list.count", conn.totalCount) : ""),
      h("button", { type: "button", class: "button button-secondary button-small", disabled: !info.hasPreviousPage,
        onclick: () => go({ ...kept(), before: info.startCursor }) }, t("list.previous")),
      h("button", { type: "button", class: "button button-secondary button-small", disabled: !info.hasNextPage,
        onclick: () => go({ ...kept(), after: info.endCursor }) }, t("list.next")));
  }

  root.reload = load;
  load();
  return root;
}
