// The product list (the home page and search results): the grid of product cards loaded a
// page at a time, the filters with their counts, the chips of what is filtered, and the list
// kept in memory so that coming back from a product restores it where it was.

import { $, fill, h } from "../lib/dom.js";
import { GraphQLFailure } from "../lib/graphql.js";
import { countryName, flag, plural, t, uiLocale } from "../lib/i18n.js";
import { chosenCurrency, gql } from "../shop/api.js";
import { pricesShownIn, staleRateNotice } from "../shop/currency.js";
import { amountNumber, discountPercent } from "../shop/money.js";
import { clearedState, listHref, productHref, serialize, SORTS, withState } from "../shop/routes.js";
import { errorBox, rating, showView } from "../shop/ui.js";
import { activeFilterCount, renderChips, renderFilters } from "./filters.js";

const PAGE_SIZE = 24;
const CATEGORY_FIELDS = "id slug name";
const BOOT_QUERY = `
query Boot($locale: String) {
  categories(topLevel: true, first: 100, locale: $locale) {
    nodes {
      ${CATEGORY_FIELDS}
      children { ${CATEGORY_FIELDS} children { ${CATEGORY_FIELDS} children { ${CATEGORY_FIELDS} } } }
    }
  }
  brands(first: 100) { nodes { id slug name } }
}`;

const CARD_FIELDS = `
  id slug name originCountry ratingAverage ratingCount
  brand { id name }
  featuredImage { url alt width height }
  priceRange { min { amount formatted } max { amount formatted } }
  variants { id price { amount formatted } compareAtPrice { amount formatted } quantityAvailable stockStatus }`;

const PRODUCTS_QUERY = `
query Products($first: Int!, $after: String, $filter: ProductFilter, $sortBy: ProductSortInput,
               $locale: String, $currency: CurrencyCode, $withFacets: Boolean!) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy, locale: $locale, currency: $currency) {
    totalCount
    exchangeRate { currency rate rateDate stale }
    pageInfo { hasNextPage endCursor }
    nodes { ${CARD_FIELDS} }
    facets @include(if: $withFacets) {
      total
      exact
      categories { count category { id slug } }
      brands { count brand { id slug name } }
      origins { country count }
      prices { count min { amount formatted } max { amount formatted } }
    }
  }
}`;

// ---------------------------------------------------------------- boot data (categories, brands)

const bootCache = new Map();

function loadBoot(locale) {
  if (!bootCache.has(locale)) {
    const promise = gql(BOOT_QUERY, { locale }, locale).then((data) => {
      const categories = new Map(); // slug -> {id, slug, name, parent, children}
      const byId = new Map();
      const walk = (nodes, parent) =>
        nodes.map((n) => {
          const node = { id: n.id, slug: n.slug, name: n.name, parent, children: [] };
          node.children = walk(n.children || [], node);
          categories.set(n.slug, node);
          byId.set(n.id, node);
          return node;
        });
      const tree = walk(data.categories.nodes, null);
      const brands = new Map(data.brands.nodes.map((b) => [b.slug, b]));
      return { tree, categories, categoriesById: byId, brands };
    });
    promise.catch(() => bootCache.delete(locale));
    bootCache.set(locale, promise);
  }
  return bootCache.get(locale);
}

/**
 * What a card says about reductions. The compare-at price is struck through next to the
 * "from" price only when it belongs to a variant at that price (a $24 struck next to
 * "from $6" would mislead when only the $21 pack is reduced); otherwise the badge says
 * "up to −n%".
 */
function cardSale(product) {
  const min = amountNumber(product.priceRange.min);
  let atMin = null;
  let best = 0;
  for (const v of product.variants) {
    const off = discountPercent(v.price, v.compareAtPrice);
    if (!off) continue;
    best = Math.max(best, off);
    if (amountNumber(v.price) === min && (!atMin || amountNumber(v.compareAtPrice) > amountNumber(atMin.compareAtPrice)))
      atMin = v;
  }
  if (!best) return null;
  return { struck: atMin ? atMin.compareAtPrice : null, off: atMin ? discountPercent(atMin.price, atMin.compareAtPrice) : best, upTo: !atMin };
}

function priceLabel(range) {
  const same = range.min.amount === range.max.amount;
  if (same) return [h("span", { class: "price-now" }, range.min.formatted)];
  return [
    t("from") ? h("span", { class: "price-from" }, t("from")) : null,
    h("span", { class: "price-now" }, range.min.formatted),
    t("fromSuffix") && t("fromSuffix") !== "fromSuffix" ? h("span", { class: "price-from" }, t("fromSuffix")) : null,
  ];
}

function stockInfo(variants) {
  const available = variants.reduce((sum, v) => sum + Math.max(0, v.quantityAvailable || 0), 0);
  const anyIn = variants.some((v) => v.stockStatus === "IN_STOCK");
  if (!anyIn) return { level: "out", text: t("outOfStock") };
  if (available > 0 && available <= 5) return { level: "low", text: t("lowStock", { n: available }) };
  return { level: "in", text: t("inStock") };
}

// The last list shown, kept so that coming back from a product restores the
// loaded pages and the scroll position instead of starting over.
let list = null; // {key, state, boot, nodes, pageInfo, totalCount, facets, scrollY}
let listSeq = 0;

function listVariables(state, boot, after = null) {
  const filter = {};
  const cat = boot.categories.get(state.cat);
  if (cat) filter.categories = [cat.id];
  const brandIds = state.brands.map((slug) => boot.brands.get(slug)?.id).filter(Boolean);
  if (brandIds.length) filter.brands = brandIds;
  if (state.origins.length) filter.origins = state.origins;
  if (state.price) {
    // In the list's currency; a bucket's min and max are both inclusive, as the filter's.
    filter.price = { min: state.price.min || null, max: state.price.max || null };
  }
  if (state.stock) filter.inStock = true;
  if (state.q) filter.search = state.q;
  return {
    first: PAGE_SIZE,
    after,
    filter,
    sortBy: SORTS[state.sort],
    locale: state.lang,
    currency: chosenCurrency(),
    withFacets: after === null,
  };
}

/** The product list for `state`: from memory when it is the list shown last, else from the API. */
export async function showList(state) {
  showView("list-view");
  const key = `${serialize(withState(state, { langExplicit: true }))}|${chosenCurrency() || ""}`;

  if (list && list.key === key && list.nodes && !list.loading) {
    // Same list as before (e.g. back from a product): redraw it from memory.
    const y = list.scrollY || 0;
    renderList();
    requestAnimationFrame(() => window.scrollTo(0, y));
    return;
  }

  const seq = ++listSeq;
  const first = !list || !list.nodes;
  // The old results stay on screen (dimmed) until the new ones arrive.
  list = { ...(list || {}), key: null, state, loading: true };
  if (first) renderSkeleton();
  else $("grid").classList.add("is-stale");
  setStatus(first ? null : h("div", { class: "progress", role: "progressbar", "aria-label": t("loading") }));
  document.title = "Tradewind";

  try {
    const boot = await loadBoot(state.lang);
    const vars = listVariables(state, boot);
    let data;
    try {
      data = await gql(PRODUCTS_QUERY, vars, state.lang);
    } catch (err) {
      // The facets can fail on their own (the server errors on them when nothing
      // matches): show the products without counts rather than nothing at all.
      if (!onlyFacetErrors(err)) throw err;
      data = await gql(PRODUCTS_QUERY, { ...vars, withFacets: false }, state.lang);
      data.products.facets = NO_FACETS;
    }
    if (seq !== listSeq) return;
    const conn = data.products;
    list = {
      key,
      state,
      boot,
      nodes: conn.nodes,
      pageInfo: conn.pageInfo,
      totalCount: conn.totalCount,
      facets: conn.facets,
      exchangeRate: conn.exchangeRate,
      loading: false,
      error: null,
      scrollY: 0,
    };
    renderList();
    if (!first) window.scrollTo({ top: 0 });
  } catch (err) {
    if (seq !== listSeq) return;
    list = { key: null, state, nodes: null };
    $("results-title").textContent = state.q ? t("resultsFor", { q: state.q }) : t("allProducts");
    $("grid").replaceChildren();
    $("grid").classList.remove("is-stale");
    $("filters").replaceChildren();
    $("chips").replaceChildren();
    $("results-count").textContent = "";
    $("load-more").hidden = true;
    $("more-note").textContent = "";
    setStatus(errorBox(err, () => showList(state)));
  }
}

const NO_FACETS = { total: 0, exact: true, categories: [], brands: [], origins: [], prices: [] };

function onlyFacetErrors(err) {
  const errors = err instanceof GraphQLFailure ? err.errors : [];
  return errors.length > 0 && errors.every((e) => Array.isArray(e.path) && e.path[1] === "facets");
}

async function loadMore() {
  if (!list || !list.pageInfo?.hasNextPage || list.loading) return;
  const seq = listSeq;
  const button = $("load-more");
  list.loading = true;
  button.disabled = true;
  button.textContent = t("loading");
  try {
    const vars = listVariables(list.state, list.boot, list.pageInfo.endCursor);
    const data = await gql(PRODUCTS_QUERY, vars, list.state.lang);
    if (seq !== listSeq) return;
    const conn = data.products;
    const start = list.nodes.length;
    list.nodes = list.nodes.concat(conn.nodes);
    list.pageInfo = conn.pageInfo;
    list.totalCount = conn.totalCount;
    list.loading = false;
    $("grid").append(...conn.nodes.map((p) => productCard(p, list.state)));
    updateMore();
    // Move focus to the first new card for keyboard users.
    $("grid").children[start]?.querySelector("a")?.focus({ preventScroll: true });
  } catch (err) {
    if (seq !== listSeq) return;
    list.loading = false;
    updateMore();
    setStatus(errorBox(err, loadMore));
  }
}

function setStatus(node) {
  $("list-status").replaceChildren(...(node ? [node] : []));
}

function renderSkeleton() {
  $("results-title").textContent = t("loading");
  $("results-count").textContent = "";
  $("chips").replaceChildren();
  $("filters").replaceChildren(
    ...[1, 2, 3].map(() =>
      h("div", { class: "facet" }, h("div", { class: "skeleton skeleton-line wide" }),
        h("div", { class: "skeleton skeleton-line" }), h("div", { class: "skeleton skeleton-line" }))
    )
  );
  $("grid").replaceChildren(
    ...Array.from({ length: 8 }, () =>
      h("li", { class: "card card-skeleton", "aria-hidden": "true" },
        h("div", { class: "card-media skeleton" }),
        h("div", { class: "card-body" },
          h("div", { class: "skeleton skeleton-line" }),
          h("div", { class: "skeleton skeleton-line wide" }),
          h("div", { class: "skeleton skeleton-line short" })))
    )
  );
  $("load-more").hidden = true;
  $("more-note").textContent = "";
}

function renderList() {
  const { state, boot, facets } = list;
  setStatus(null);
  pricesShownIn(list.exchangeRate?.currency);
  fill($("rate-notice"), staleRateNotice(list.exchangeRate));
  $("grid").classList.remove("is-stale");

  const cat = boot.categories.get(state.cat);
  $("results-title").textContent = state.q
    ? t("resultsFor", { q: state.q })
    : cat
      ? cat.name
      : t("allProducts");
  $("results-count").textContent = plural("products", list.totalCount);
  document.title = `${$("results-title").textContent} · Tradewind`;

  renderFilters(state, boot, facets);
  renderChips(state, boot, facets);

  const grid = $("grid");
  if (!list.nodes.length) {
    grid.replaceChildren();
    setStatus(
      h("div", { class: "empty" },
        h("p", { class: "empty-title" }, t("noResults")),
        h("p", {}, t("noResultsHint")),
        activeFilterCount(state) || state.q
          ? h("a", { class: "button button-secondary", href: listHref(clearedState(state)) }, t("clearAll"))
          : null)
    );
  } else {
    grid.replaceChildren(...list.nodes.map((p) => productCard(p, state)));
  }
  updateMore();
}

function updateMore() {
  const button = $("load-more");
  button.hidden = !list.pageInfo?.hasNextPage;
  button.disabled = false;
  button.textContent = t("loadMore");
  $("more-note").textContent = list.nodes.length
    ? t("showing", { shown: list.nodes.length.toLocaleString(uiLocale), total: list.totalCount.toLocaleString(uiLocale) })
    : "";
}

function productCard(p, state) {
  const sale = cardSale(p);
  const stock = stockInfo(p.variants);
  const img = p.featuredImage;

  const media = h("div", { class: "card-media" },
    img
      ? h("img", {
          src: img.url,
          alt: img.alt || p.name,
          width: img.width,
          height: img.height,
          loading: "lazy",
        })
      : h("div", { class: "no-image" }, t("noImage")),
    h("div", { class: "badges" },
      sale ? h("span", { class: "badge badge-sale" }, sale.upTo ? t("upTo", { n: sale.off }) : `${t("sale")} −${sale.off}%`) : null,
      stock.level === "out" ? h("span", { class: "badge badge-out" }, t("outOfStock")) : null)
  );

  const body = h("div", { class: "card-body" },
    p.brand ? h("p", { class: "card-brand" }, p.brand.name) : null,
    h("h2", { class: "card-title" }, p.name),
    p.ratingCount > 0 ? rating(p.ratingAverage, p.ratingCount, true) : null,
    h("p", { class: "card-price" },
      priceLabel(p.priceRange),
      sale?.struck ? h("s", { class: "price-was" }, sale.struck.formatted) : null),
    h("p", { class: "card-meta" },
      h("span", { class: `stock stock-${stock.level}` }, stock.text),
      p.originCountry
        ? h("span", { class: "card-origin", title: countryName(p.originCountry) },
            h("span", { class: "flag", "aria-hidden": "true" }, flag(p.originCountry)), p.originCountry)
        : null)
  );

  const link = h("a", {
    class: "card-link",
    href: productHref(p.slug, state),
    onclick: () => {
      if (list) list.scrollY = window.scrollY;
    },
  }, media, body);
  return h("li", { class: "card" }, link);
}

/** Forgets the list kept in memory, so it is loaded again (names, prices or the viewer changed). */
export function forgetList() {
  if (list) list.key = null;
}

/** Notes where the list is scrolled to, when it is the view shown, to come back there. */
export function keepListScroll() {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
}

/** Wires the list's own controls. */
export function setupList() {
  $("load-more").addEventListener("click", loadMore);
  window.addEventListener("scroll", keepListScroll, { passive: true });
}
