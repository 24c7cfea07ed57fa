// The filters of the product list: the facet panel (categories, brands, places of origin,
// price buckets, availability) with the count of each choice, and the chips of what is filtered.

import { $, h, newId } from "../lib/dom.js";
import { countryName, flag, t } from "../lib/i18n.js";
import { navigate } from "../lib/router.js";
import { clearedState, listHref, toggled, withState } from "../shop/routes.js";

export function activeFilterCount(state) {
  return (state.cat ? 1 : 0) + state.brands.length + state.origins.length + (state.price ? 1 : 0) + (state.stock ? 1 : 0);
}

function facetSection(title, body, { id } = {}) {
  const headingId = `facet-${id}`;
  return h("section", { class: "facet", "aria-labelledby": headingId },
    h("h2", { class: "facet-title", id: headingId }, title), body);
}

// Whether the counts shown are lower bounds: a large catalog counts only its newest
// products (`ProductFacets.exact` false), and says so with a "+".
let countsAtLeast = false;
const countText = (n) => (countsAtLeast ? `${n}+` : String(n));

export function renderFilters(state, boot, facets) {
  countsAtLeast = facets.exact === false;
  const panel = $("filters");
  const count = activeFilterCount(state);
  $("filters-count").hidden = !count;
  $("filters-count").textContent = String(count);
  const sections = [];

  // Categories: the full tree, with the facet counts (which ignore the category selection).
  const counts = new Map(facets.categories.map((f) => [f.category.id, f.count]));
  const selected = boot.categories.get(state.cat);
  const openIds = new Set();
  for (let n = selected; n; n = n.parent) openIds.add(n.id);
  const visible = (node) => (counts.get(node.id) || 0) > 0 || openIds.has(node.id);
  const catList = (nodes, depth) => {
    const items = nodes.filter(visible).map((node) => {
      const isSel = selected && selected.id === node.id;
      const kids = node.children.filter(visible);
      const showKids = kids.length && (depth === 0 || openIds.has(node.id) || openIds.has(node.parent?.id));
      return h("li", {},
        h("a", {
          class: `cat-link${isSel ? " is-selected" : ""}`,
          href: listHref(withState(state, { cat: isSel ? "" : node.slug })),
          "aria-current": isSel ? "true" : null,
        }, h("span", { class: "cat-name" }, node.name), h("span", { class: "count" }, countText(counts.get(node.id) || 0))),
        showKids ? catList(node.children, depth + 1) : null);
    });
    return items.length ? h("ul", { class: `cat-tree depth-${depth}` }, items) : null;
  };
  // `total` counts with the category filter; without one selected it is the whole count.
  const allCount = selected
    ? boot.tree.reduce((sum, node) => sum + (counts.get(node.id) || 0), 0)
    : facets.total;
  sections.push(facetSection(t("category"), [
    h("a", {
      class: `cat-link cat-all${selected ? "" : " is-selected"}`,
      href: listHref(withState(state, { cat: "" })),
    }, h("span", { class: "cat-name" }, t("allCategories")), h("span", { class: "count" }, countText(allCount))),
    catList(boot.tree, 0),
  ], { id: "category" }));

  // Brands.
  const brandFacets = facets.brands.map((f) => ({ slug: f.brand.slug, name: f.brand.name, count: f.count }));
  for (const slug of state.brands) {
    if (!brandFacets.some((b) => b.slug === slug) && boot.brands.has(slug))
      brandFacets.push({ slug, name: boot.brands.get(slug).name, count: 0 });
  }
  if (brandFacets.length) {
    sections.push(facetSection(t("brand"), h("ul", { class: "checks" },
      brandFacets.map((b) =>
        choiceItem("checkbox", {
          checked: state.brands.includes(b.slug),
          label: b.name,
          count: b.count,
          onchange: () => navigate(listHref(withState(state, { brands: toggled(state.brands, b.slug) }))),
        }))), { id: "brand" }));
  }

  // Place of origin.
  const origins = facets.origins.map((f) => ({ code: f.country, count: f.count }));
  for (const code of state.origins)
    if (!origins.some((o) => o.code === code)) origins.push({ code, count: 0 });
  if (origins.length) {
    sections.push(facetSection(t("origin"), h("ul", { class: "checks" },
      origins.map((o) =>
        choiceItem("checkbox", {
          checked: state.origins.includes(o.code),
          label: [
            h("span", { class: "flag", "aria-hidden": "true" }, flag(o.code)),
            h("span", { class: "origin-code" }, o.code),
            h("span", { class: "origin-name" }, countryName(o.code)),
          ],
          title: countryName(o.code),
          count: o.count,
          onchange: () => navigate(listHref(withState(state, { origins: toggled(state.origins, o.code) }))),
        }))), { id: "origin" }));
  }

  // Price buckets.
  const buckets = facets.prices.filter((b) => b.count > 0 || isSelectedBucket(state, b));
  if (buckets.length) {
    const name = "price-bucket";
    sections.push(facetSection(t("price"), h("ul", { class: "checks" },
      choiceItem("radio", { name, checked: !state.price, label: t("anyPrice"),
        onchange: () => navigate(listHref(withState(state, { price: null }))) }),
      buckets.map((b) =>
        choiceItem("radio", {
          name,
          checked: isSelectedBucket(state, b),
          label: bucketLabel(b),
          count: b.count,
          onchange: () =>
            navigate(listHref(withState(state, { price: { min: b.min?.amount || null, max: b.max?.amount || null } }))),
        }))
    ), { id: "price" }));
  }

  // Availability.
  sections.push(facetSection(t("availability"), h("label", { class: "switch" },
    h("input", {
      type: "checkbox",
      role: "switch",
      checked: state.stock,
      onchange: (e) => navigate(listHref(withState(state, { stock: e.target.checked }))),
    }),
    h("span", { class: "switch-track", "aria-hidden": "true" }),
    h("span", {}, t("inStockOnly"))), { id: "stock" }));

  if (count) {
    // Clears the filters of the panel; the search stays.
    const href = listHref(withState(clearedState(state), { q: state.q }));
    sections.push(h("a", { class: "button button-secondary clear-filters", href }, t("clearAll")));
  }
  panel.replaceChildren(...sections);
}

function isSelectedBucket(state, b) {
  if (!state.price) return false;
  return (state.price.min || null) === (b.min?.amount || null) && (state.price.max || null) === (b.max?.amount || null);
}

function bucketLabel(b) {
  if (!b.min && !b.max) return t("anyPrice");
  if (!b.min) return t("upTo", { max: b.max.formatted });
  if (!b.max) return t("andAbove", { min: b.min.formatted });
  return `${b.min.formatted} – ${b.max.formatted}`;
}

/** A checkbox or radio button (`type`) in a filter list, with the count of what it selects. */
function choiceItem(type, { name, checked, label, count, onchange, title }) {
  const id = newId();
  return h("li", { class: "check", title },
    h("input", { type, name, id, checked, onchange }),
    h("label", { for: id }, h("span", { class: "check-label" }, label),
      count !== undefined ? h("span", { class: "count" }, countText(count)) : null));
}

export function renderChips(state, boot, facets) {
  const chips = [];
  const chip = (label, next) =>
    chips.push(h("a", { class: "chip", href: listHref(next), "aria-label": t("remove", { name: label }) },
      h("span", {}, label), h("span", { class: "chip-x", "aria-hidden": "true" }, "×")));

  if (state.q) chip(t("searchChip", { q: state.q }), withState(state, { q: "" }));
  const cat = boot.categories.get(state.cat);
  if (cat) chip(cat.name, withState(state, { cat: "" }));
  for (const slug of state.brands)
    chip(boot.brands.get(slug)?.name || slug, withState(state, { brands: toggled(state.brands, slug) }));
  for (const code of state.origins)
    chip(`${flag(code)} ${countryName(code)}`, withState(state, { origins: toggled(state.origins, code) }));
  if (state.price) {
    const b = facets.prices.find((x) => isSelectedBucket(state, x));
    chip(b ? bucketLabel(b) : `${state.price.min || "0"} – ${state.price.max || "∞"}`, withState(state, { price: null }));
  }
  if (state.stock) chip(t("inStockOnly"), withState(state, { stock: false }));
  if (chips.length > 1)
    chips.push(h("a", { class: "chip chip-clear", href: listHref(clearedState(state)) }, t("clearAll")));
  $("chips").replaceChildren(...chips);
}
