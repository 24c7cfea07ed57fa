// The catalog's product list: every status or one, a category (with its subcategories), a
// brand and words, sorted and paged on the server.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { href } from "../../routes.js";
import { age, dateTime, money, number } from "../../ui/format.js";
import { serverList } from "../../ui/list.js";
import { badge, button, pageHead } from "../../ui/page.js";
import { allBrands, allCategories, catalogSettings, categoryOptions, tabs } from "./shared.js";

const STATUSES = ["DRAFT", "ACTIVE", "ARCHIVED"];

const PRODUCTS_QUERY = `query CatalogProducts($first: Int, $after: String, $last: Int, $before: String,
    $filter: ProductFilter, $sortBy: ProductSortInput, $locale: String, $currency: CurrencyCode) {
  products(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortBy: $sortBy,
      locale: $locale, currency: $currency) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      id name slug status isVisible updatedAt
      brand { name } category { name }
      featuredImage { url alt }
      variants { id shopPrice { amount currency } stockAvailable }
    }
  }
}`;

// Sort choices: `<FIELD>.<DIRECTION>`, the first being the default.
const SORTS = ["UPDATED_AT.DESC", "CREATED_AT.DESC", "NAME.ASC", "NAME.DESC", "PRICE.ASC", "PRICE.DESC", "SALES.DESC"];

function lowestPrice(p) {
  const prices = p.variants.map((v) => v.shopPrice);
  if (!prices.length) return "—";
  return money(prices.reduce((a, b) => (Number(b.amount) < Number(a.amount) ? b : a)));
}

export async function showProducts(view, ctx) {
  const [settings, categories, brands] = await Promise.all([catalogSettings(), allCategories(), allBrands()]);
  if (!ctx.current()) return;
  const list = serverList({
    ctx,
    label: t("catalog.products"),
    query: PRODUCTS_QUERY,
    pick: (data) => data.products,
    variables: (params) => {
      const status = params.get("status");
      const [field, direction] = (params.get("sort") || SORTS[0]).split(".");
      return {
        locale: settings.defaultLocale,
        currency: settings.shopCurrency,
        sortBy: { field, direction },
        filter: {
          statuses: STATUSES.includes(status) ? [status] : STATUSES,
          categories: params.get("category") ? [params.get("category")] : null,
          brands: params.get("brand") ? [params.get("brand")] : null,
          search: params.get("q") || null,
        },
      };
    },
    filters: [
      { name: "q", label: t("search"), type: "search", placeholder: t("catalog.searchHint") },
      { name: "status", label: t("catalog.status"), type: "select", options: STATUSES.map((s) => [s, t(`status.${s}`)]) },
      { name: "category", label: t("catalog.category"), type: "select", options: categoryOptions(categories) },
      { name: "brand", label: t("catalog.brand"), type: "select", options: brands.map((b) => [b.id, b.name]) },
    ],
    sorts: SORTS.map((s) => [s, t(`catalog.sort.${s}`)]),
    columns: [
      { label: t("catalog.product"), cell: (p) => h("span", { class: "product-cell" },
        p.featuredImage ? h("img", { class: "thumb", src: p.featuredImage.url, alt: "", loading: "lazy" }) : h("span", { class: "thumb" }),
        h("span", {}, p.name)) },
      { label: t("catalog.status"), cell: (p) => badge(p.status) },
      { label: t("catalog.category"), cell: (p) => p.category?.name || "—" },
      { label: t("catalog.brand"), cell: (p) => p.brand?.name || "—" },
      { label: t("catalog.price"), num: true, cell: lowestPrice },
      { label: t("catalog.available"), num: true, cell: (p) => number(p.variants.reduce((n, v) => n + v.stockAvailable, 0)) },
      { label: t("catalog.updated"), cell: (p) => h("time", { datetime: p.updatedAt, title: dateTime(p.updatedAt) }, age(p.updatedAt)) },
    ],
    rowHref: (p) => href("catalog", ["products", p.id]),
    empty: t("catalog.noProducts"),
  });
  view.replaceChildren(
    pageHead(t("nav.catalog"), { actions: [button(t("catalog.newProduct"), () => navigate(href("catalog", ["new"])))] }),
    tabs("products"),
    list,
  );
}
