// The catalog screen: products (a list by status, category, brand and words; one page per
// product with its variants, images and translations), the category tree and brands. The
// address picks the page: `#/catalog`, `#/catalog/new`, `#/catalog/products/<id>`,
// `#/catalog/categories`, `#/catalog/brands`.

import "./catalog/messages.js";
import { t } from "../../lib/i18n.js";
import { pageHead, state } from "../ui/page.js";

export async function show(view, ctx) {
  const [first, id] = ctx.segments;
  if (!first) return (await import("./catalog/list.js")).showProducts(view, ctx);
  if (first === "new") return (await import("./catalog/product.js")).showNewProduct(view, ctx);
  if (first === "products" && id) return (await import("./catalog/product.js")).showProduct(view, ctx, id);
  if (first === "categories") return (await import("./catalog/taxonomy.js")).showCategories(view, ctx);
  if (first === "brands") return (await import("./catalog/taxonomy.js")).showBrands(view, ctx);
  view.replaceChildren(pageHead(t("nav.catalog")), state(t("screen.notFound"), { error: true }));
}
