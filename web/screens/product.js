// The product page: gallery, details and specification, the buy box that picks a variant by
// its options and adds it to the cart, and the product's approved reviews.

import { $, append, fill, h, newId, paragraphs } from "../lib/dom.js";
import { field, formActions, input, submitButton } from "../lib/forms.js";
import { capitalise, countryName, flag, formatDate, languageName, t, uiLocale } from "../lib/i18n.js";
import { chosenCurrency, gql, mutate, signedIn } from "../shop/api.js";
import { CART, cartToken, keepCartToken, setCartCount } from "../shop/cart.js";
import { pricesShownIn, staleRateNotice } from "../shop/currency.js";
import { SHOP_LOCALE } from "../shop/locales.js";
import { discountPercent } from "../shop/money.js";
import { clearedState, listHref, pageHref, withState } from "../shop/routes.js";
import { backLink, errorBox, rating, showView } from "../shop/ui.js";
import { keepListScroll } from "./catalog.js";

const REVIEWS_PAGE_SIZE = 5;
const REVIEW_PAGE = "totalCount pageInfo { hasNextPage endCursor } nodes { id rating title body authorName createdAt }";
const MORE_REVIEWS_QUERY = `
query MoreReviews($slug: String!, $after: String) {
  product(slug: $slug) { reviews(first: ${REVIEWS_PAGE_SIZE}, after: $after) { ${REVIEW_PAGE} } }
}`;
const PRODUCT_QUERY = `
query Product($slug: String!, $locale: String, $currency: CurrencyCode, $reviews: Int) {
  currencyQuote(currency: $currency) { currency rateDate stale }
  product(slug: $slug, locale: $locale, currency: $currency) {
    id slug name description parameters { name value } features instructions locale
    originCountry specification model material productType usage weightGrams
    ratingAverage ratingCount
    reviews(first: $reviews) { ${REVIEW_PAGE} }
    translations { locale }
    brand { id slug name }
    category { id slug name ancestors { id slug name } }
    images { id url alt width height }
    priceRange { min { amount formatted } max { amount formatted } }
    variants {
      id sku name position options { name value }
      price { amount formatted } compareAtPrice { amount formatted }
      quantityAvailable stockStatus
    }
  }
}`;

const RETURN_POLICY_QUERY = `
query ProductReturnPolicy($id: ID!, $currency: CurrencyCode) {
  returnPolicy(productId: $id, currency: $currency) { finalSale windowDays summary }
}`;

let detailSeq = 0;

/** Drops the product page being loaded: another page is shown. */
export const leaveProduct = () => detailSeq++;

/** The product page of `slug`; "back" returns to the list of `state`. */
export async function showProduct(slug, state) {
  keepListScroll();
  showView("detail-view");
  const view = $("detail-view");
  document.body.classList.remove("filters-open");
  const seq = ++detailSeq;
  const back = listLink(state);

  view.replaceChildren(back, h("div", { class: "detail-loading", role: "status" },
    h("div", { class: "detail-grid" },
      h("div", { class: "gallery-main skeleton" }),
      h("div", {}, h("div", { class: "skeleton skeleton-line short" }), h("div", { class: "skeleton skeleton-title" }),
        h("div", { class: "skeleton skeleton-line" }), h("div", { class: "skeleton skeleton-line wide" }),
        h("span", { class: "visually-hidden" }, t("loading"))))));
  window.scrollTo(0, 0);

  try {
    const data = await gql(PRODUCT_QUERY, { slug, locale: state.lang, currency: chosenCurrency(), reviews: REVIEWS_PAGE_SIZE }, state.lang);
    if (seq !== detailSeq) return;
    const product = data.product;
    if (!product) {
      document.title = `${t("notFound")} · Tradewind`;
      view.replaceChildren(back, h("div", { class: "empty" },
        h("h1", { class: "empty-title" }, t("notFound")), h("p", {}, t("notFoundText")),
        h("a", { class: "button", href: listHref(state) }, t("back"))));
      return;
    }
    document.title = `${product.name} · Tradewind`;
    pricesShownIn(data.currencyQuote.currency);
    view.replaceChildren(back, renderProduct(product, state, data.currencyQuote));
  } catch (err) {
    if (seq !== detailSeq) return;
    view.replaceChildren(back, errorBox(err, () => showProduct(slug, state)));
  }
}

const listLink = (state) => h("nav", { class: "detail-nav" }, backLink(listHref(state), t("back")));

function renderProduct(p, state, rate = null) {
  const crumbs = h("ol", { class: "breadcrumbs" },
    h("li", {}, h("a", { href: listHref(withState(clearedState(state), {})) }, t("home"))),
    p.category
      ? [...p.category.ancestors, p.category].map((c) =>
          h("li", {}, h("a", { href: listHref(withState(clearedState(state), { cat: c.slug })) }, c.name)))
      : null);

  const info = h("div", { class: "detail-info" });
  const gallery = renderGallery(p);

  const head = h("div", { class: "detail-head" },
    p.brand
      ? h("a", { class: "detail-brand", href: listHref(withState(clearedState(state), { brands: [p.brand.slug] })) }, p.brand.name)
      : null,
    h("h1", { class: "detail-title" }, p.name),
    p.ratingCount > 0 ? rating(p.ratingAverage, p.ratingCount) : null,
    p.originCountry
      ? h("p", { class: "detail-origin" },
          h("span", { class: "flag", "aria-hidden": "true" }, flag(p.originCountry)),
          t("madeIn", { country: `${countryName(p.originCountry)} (${p.originCountry})` }))
      : null);
  info.append(head);

  // `locale` echoes the locale asked for even when the text fell back to the original, so
  // look at which translations exist. The original text is in the shop's default locale.
  if (state.lang !== SHOP_LOCALE && !p.translations.some((tr) => tr.locale === state.lang)) {
    info.append(h("p", { class: "notice" },
      t("untranslated", { lang: languageName(state.lang), shown: languageName(SHOP_LOCALE) })));
  }

  const notice = staleRateNotice(rate);
  if (notice) info.append(notice);
  info.append(renderBuyBox(p, state), returnPolicyLine(p, state));

  if (p.description) info.append(h("section", { class: "detail-section" },
    h("h2", {}, t("description")), h("div", { class: "prose" }, paragraphs(p.description))));

  if (p.features.length) info.append(h("section", { class: "detail-section" },
    h("h2", {}, t("features")), h("ul", { class: "features" }, p.features.map((f) => h("li", {}, f)))));

  const lower = h("div", { class: "detail-lower" });

  if (p.parameters.length) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("parameters")),
    h("table", { class: "spec-table" }, h("tbody", {},
      p.parameters.map((nv) => h("tr", {}, h("th", { scope: "row" }, nv.name), h("td", {}, nv.value)))))));

  const details = [
    ["material", p.material],
    ["model", p.model],
    ["specification", p.specification],
    ["productType", capitalise(p.productType)],
    ["usage", capitalise(p.usage)],
    ["weight", p.weightGrams ? `${p.weightGrams.toLocaleString(uiLocale)} g` : ""],
  ].filter(([, v]) => v);
  if (details.length) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("details")),
    h("dl", { class: "details-list" }, details.map(([k, v]) => [h("dt", {}, t(k)), h("dd", {}, v)]))));

  if (p.instructions) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("instructions")), h("div", { class: "prose" }, paragraphs(p.instructions))));

  if (p.reviews.totalCount) lower.append(reviewsSection(p));

  return h("article", { class: "product" }, crumbs,
    h("div", { class: "detail-grid" }, gallery, info), lower.children.length ? lower : null);
}

/** The approved reviews, a page at a time. */
function reviewsSection(p) {
  const list = h("ul", { class: "reviews" });
  const more = h("button", { type: "button", class: "button button-secondary" }, t("moreReviews"));
  let page = p.reviews;
  const show = () => {
    append(list, page.nodes.map(reviewItem));
    more.hidden = !page.pageInfo.hasNextPage;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      page = (await gql(MORE_REVIEWS_QUERY, { slug: p.slug, after: page.pageInfo.endCursor }, uiLocale)).product.reviews;
      show();
    } catch (err) {
      more.after(errorBox(err));
    } finally {
      more.disabled = false;
    }
  });
  show();
  return h("section", { class: "detail-section detail-reviews", "aria-labelledby": "reviews-title" },
    h("h2", { id: "reviews-title" }, t("reviewsTitle"), " ", h("span", { class: "muted" }, `(${p.reviews.totalCount.toLocaleString(uiLocale)})`)),
    list, more);
}

function reviewItem(r) {
  return h("li", { class: "review" },
    h("div", { class: "review-head" },
      h("span", { class: "review-stars", role: "img", "aria-label": t("reviewStars", { n: r.rating }) },
        "★".repeat(r.rating) + "☆".repeat(5 - r.rating)),
      r.title ? h("span", { class: "review-title" }, r.title) : null),
    h("p", { class: "review-meta" }, r.authorName, " · ", h("time", { datetime: r.createdAt }, formatDate(r.createdAt))),
    r.body ? h("p", { class: "review-body" }, r.body) : null);
}

function renderGallery(p) {
  const images = p.images;
  if (!images.length) return h("div", { class: "gallery" }, h("div", { class: "gallery-main no-image" }, t("noImage")));
  const main = h("img", {
    class: "gallery-image",
    src: images[0].url,
    alt: images[0].alt || p.name,
    width: images[0].width,
    height: images[0].height,
  });
  const thumbs = images.length > 1
    ? h("ul", { class: "thumbs", role: "list" },
        images.map((img, i) =>
          h("li", {},
            h("button", {
              type: "button",
              class: "thumb",
              "aria-pressed": i === 0 ? "true" : "false",
              "aria-label": img.alt || t("image", { n: i + 1 }),
              onclick: (e) => {
                main.src = img.url;
                main.alt = img.alt || p.name;
                main.width = img.width;
                main.height = img.height;
                for (const b of e.currentTarget.closest(".thumbs").querySelectorAll(".thumb"))
                  b.setAttribute("aria-pressed", String(b === e.currentTarget));
              },
            }, h("img", { src: img.url, alt: "", loading: "lazy", width: img.width, height: img.height })))))
    : null;
  return h("div", { class: "gallery" }, h("div", { class: "gallery-main" }, main), thumbs);
}

/** Variant picker by option values, with price and availability of the chosen variant. */
/** The line that says how the product may be returned, filled in when the API answers. */
function returnPolicyLine(p, state) {
  const line = h("p", { class: "detail-returns", "aria-live": "polite" });
  const seq = detailSeq;
  gql(RETURN_POLICY_QUERY, { id: p.id, currency: chosenCurrency() }, state.lang)
    .then((data) => {
      if (seq !== detailSeq) return;
      const policy = data.returnPolicy;
      line.classList.toggle("is-final-sale", policy.finalSale);
      line.replaceChildren(h("span", { class: "detail-returns-label" }, `${t("returnPolicy")}: `), policy.summary);
    })
    // The page is whole without it: a failed lookup leaves the line out.
    .catch(() => line.remove());
  return line;
}

function renderBuyBox(p, state) {
  const box = h("div", { class: "buy-box" });
  const variants = [...p.variants].sort((a, b) => a.position - b.position);
  if (!variants.length) return box;

  // Option names in order of first appearance; variants without options are picked by name.
  const optionNames = [];
  for (const v of variants) for (const o of v.options) if (!optionNames.includes(o.name)) optionNames.push(o.name);
  const byName = optionNames.length === 0 && variants.length > 1;
  const opt = (v, name) => v.options.find((o) => o.name === name)?.value;

  let current = variants.find((v) => v.stockStatus === "IN_STOCK") || variants[0];
  let chosen = Object.fromEntries(optionNames.map((n) => [n, opt(current, n)]));

  const priceEl = h("div", { class: "detail-price" });
  const stockEl = h("p", { class: "detail-stock" });
  const skuEl = h("p", { class: "detail-sku" });
  const pickers = h("div", { class: "pickers" });
  const quantity = input({ name: "quantity", type: "number", class: "input qty-input", min: 1, value: 1, inputmode: "numeric", required: true });
  const addButton = submitButton(t("addToCart"));
  const addForm = h("form", {
    class: "add-form",
    onsubmit: async (e) => {
      e.preventDefault();
      const n = Math.floor(Number(quantity.value));
      const payload = await mutate(addForm, CART.add, { input: { cartToken: cartToken(), variantId: current.id, quantity: n } });
      if (!payload) return;
      if (payload.cartToken && !signedIn()) keepCartToken(payload.cartToken);
      setCartCount(payload.cart?.quote.itemCount);
      addForm.append(h("p", { class: "form-note", role: "status" },
        t("added", { n: n.toLocaleString(uiLocale) }), " ", h("a", { href: pageHref("cart", state) }, t("viewCart"))));
    },
  }, field(t("quantity"), quantity), formActions(addButton));

  function choose(name, value) {
    chosen = { ...chosen, [name]: value };
    const exact = variants.find((v) => optionNames.every((n) => opt(v, n) === chosen[n]));
    if (exact) {
      current = exact;
    } else {
      // No such combination: take the closest variant with this value, in stock first.
      const candidates = variants.filter((v) => opt(v, name) === value);
      const score = (v) => optionNames.filter((n) => opt(v, n) === chosen[n]).length * 2 + (v.stockStatus === "IN_STOCK" ? 1 : 0);
      current = candidates.sort((a, b) => score(b) - score(a))[0] || current;
      chosen = Object.fromEntries(optionNames.map((n) => [n, opt(current, n)]));
    }
    update();
  }

  function update() {
    const off = discountPercent(current.price, current.compareAtPrice);
    fill(priceEl,
      h("span", { class: "price-now" }, current.price.formatted),
      off > 0 ? h("s", { class: "price-was" }, current.compareAtPrice.formatted) : null,
      off > 0 ? h("span", { class: "badge badge-sale" }, `−${off}%`) : null
    );
    const inStock = current.stockStatus === "IN_STOCK";
    stockEl.className = `detail-stock stock stock-${inStock ? (current.quantityAvailable <= 5 ? "low" : "in") : "out"}`;
    stockEl.textContent = inStock
        ? current.quantityAvailable <= 5
          ? t("lowStock", { n: current.quantityAvailable })
          : t("available", { n: current.quantityAvailable.toLocaleString(uiLocale) })
        : t("outOfStock");
    skuEl.textContent = `${t("sku")}: ${current.sku}`;
    quantity.max = Math.max(1, current.quantityAvailable);
    addButton.disabled = !inStock;
    renderPickers();
  }

  function renderPickers() {
    if (byName) {
      pickers.replaceChildren(
        h("div", { class: "picker", role: "radiogroup", "aria-label": t("model") },
          variants.map((v) => optionButton(v.name || v.sku, v === current, v.stockStatus === "IN_STOCK", () => {
            current = v;
            update();
          })))
      );
      return;
    }
    pickers.replaceChildren(
      ...optionNames.map((name) => {
        const values = [];
        for (const v of variants) {
          const value = opt(v, name);
          if (value !== undefined && !values.includes(value)) values.push(value);
        }
        const labelId = newId("opt-");
        return h("div", { class: "picker" },
          h("p", { class: "picker-label", id: labelId },
            h("span", {}, capitalise(name)), ": ", h("strong", {}, chosen[name] ?? "")),
          h("div", { class: "picker-values", role: "radiogroup", "aria-labelledby": labelId },
            values.map((value) => {
              // Available when a variant with this value and the other current choices is in stock.
              const match = variants.find((v) =>
                opt(v, name) === value && optionNames.every((n) => n === name || opt(v, n) === chosen[n]));
              const available = match ? match.stockStatus === "IN_STOCK" : false;
              return optionButton(value, chosen[name] === value, available, () => choose(name, value), !match);
            })));
      })
    );
  }

  function optionButton(label, selected, available, onclick, missing = false) {
    return h("button", {
      type: "button",
      role: "radio",
      class: `option${available ? "" : " is-unavailable"}${missing ? " is-missing" : ""}`,
      "aria-checked": selected ? "true" : "false",
      title: available ? null : missing ? t("combination") : t("outOfStock"),
      onclick,
    }, label);
  }

  update();
  append(box, [priceEl, optionNames.length || byName ? pickers : null, stockEl, skuEl, addForm]);
  return box;
}
