// Tradewind storefront: a single page over the GraphQL API at /graphql.
// No framework and no external resources. All data goes into the DOM through
// textContent / attributes (see `h`), never through innerHTML.

const ENDPOINT = "/graphql";
const PAGE_SIZE = 24;

const LOCALES = [
  ["en", "English"],
  ["de", "Deutsch"],
  ["fr", "Français"],
  ["ja", "日本語"],
  ["zh", "中文"],
];
const LOCALE_CODES = LOCALES.map(([code]) => code);

const SORTS = {
  newest: { field: "LISTED_AT", direction: "DESC" },
  "price-asc": { field: "PRICE", direction: "ASC" },
  "price-desc": { field: "PRICE", direction: "DESC" },
  bestselling: { field: "SALES", direction: "DESC" },
  rating: { field: "RATING", direction: "DESC" },
  name: { field: "NAME", direction: "ASC" },
};
const DEFAULT_SORT = "newest";
// The locale product texts are written in before translation (the server's default_locale).
const SHOP_LOCALE = "en";

// ---------------------------------------------------------------- UI strings

const STRINGS = {
  en: {
    skip: "Skip to content",
    search: "Search",
    searchPlaceholder: "Search products, brands, SKUs…",
    language: "Language",
    sortBy: "Sort by",
    "sort.newest": "Newest",
    "sort.price-asc": "Price: low to high",
    "sort.price-desc": "Price: high to low",
    "sort.bestselling": "Best selling",
    "sort.rating": "Top rated",
    "sort.name": "Name: A–Z",
    filters: "Filters",
    category: "Category",
    allCategories: "All categories",
    brand: "Brand",
    origin: "Place of origin",
    price: "Price",
    anyPrice: "Any price",
    under: "Under {max}",
    andAbove: "{min} and above",
    availability: "Availability",
    inStockOnly: "In stock only",
    clearAll: "Clear all",
    allProducts: "All products",
    resultsFor: "Results for “{q}”",
    "products.one": "{n} product",
    "products.other": "{n} products",
    showing: "Showing {shown} of {total}",
    loadMore: "Load more",
    loading: "Loading…",
    noResults: "No products match your filters.",
    noResultsHint: "Try removing a filter or searching for something else.",
    from: "from",
    inStock: "In stock",
    lowStock: "Only {n} left",
    outOfStock: "Out of stock",
    sale: "Sale",
    upTo: "Up to −{n}%",
    back: "Back to results",
    home: "Home",
    description: "Description",
    parameters: "Key facts",
    features: "Features",
    instructions: "Instructions",
    details: "Details",
    material: "Material",
    model: "Model",
    specification: "Specification",
    productType: "Type",
    usage: "Use",
    weight: "Weight",
    madeIn: "Made in {country}",
    sku: "SKU",
    available: "In stock · {n} available",
    notFound: "Product not found",
    notFoundText: "It may no longer be on sale, or the link is wrong.",
    error: "Something went wrong",
    retry: "Try again",
    "reviews.one": "{n} review",
    "reviews.other": "{n} reviews",
    untranslated: "This product is not translated into {lang} yet; it is shown in {shown}.",
    combination: "This combination is not available.",
    image: "Image {n}",
    noImage: "No image",
    searchChip: "“{q}”",
    remove: "Remove filter: {name}",
    footer: "Tradewind · Goods from independent makers around the world, shipped across borders.",
  },
  de: {
    skip: "Zum Inhalt springen",
    search: "Suchen",
    searchPlaceholder: "Produkte, Marken, Artikelnummern suchen…",
    language: "Sprache",
    sortBy: "Sortieren",
    "sort.newest": "Neueste",
    "sort.price-asc": "Preis: aufsteigend",
    "sort.price-desc": "Preis: absteigend",
    "sort.bestselling": "Bestseller",
    "sort.rating": "Beste Bewertung",
    "sort.name": "Name: A–Z",
    filters: "Filter",
    category: "Kategorie",
    allCategories: "Alle Kategorien",
    brand: "Marke",
    origin: "Herkunft",
    price: "Preis",
    anyPrice: "Alle Preise",
    under: "Unter {max}",
    andAbove: "Ab {min}",
    availability: "Verfügbarkeit",
    inStockOnly: "Nur vorrätige Artikel",
    clearAll: "Alle entfernen",
    allProducts: "Alle Produkte",
    resultsFor: "Ergebnisse für „{q}“",
    "products.one": "{n} Produkt",
    "products.other": "{n} Produkte",
    showing: "{shown} von {total} angezeigt",
    loadMore: "Mehr laden",
    loading: "Wird geladen…",
    noResults: "Keine Produkte passen zu Ihren Filtern.",
    noResultsHint: "Entfernen Sie einen Filter oder suchen Sie nach etwas anderem.",
    from: "ab",
    inStock: "Auf Lager",
    lowStock: "Nur noch {n} Stück",
    outOfStock: "Ausverkauft",
    sale: "Sale",
    upTo: "Bis zu −{n} %",
    back: "Zurück zu den Ergebnissen",
    home: "Start",
    description: "Beschreibung",
    parameters: "Eckdaten",
    features: "Merkmale",
    instructions: "Hinweise zur Verwendung",
    details: "Details",
    material: "Material",
    model: "Modell",
    specification: "Spezifikation",
    productType: "Art",
    usage: "Verwendung",
    weight: "Gewicht",
    madeIn: "Hergestellt in: {country}",
    sku: "Art.-Nr.",
    available: "Auf Lager · {n} verfügbar",
    notFound: "Produkt nicht gefunden",
    notFoundText: "Es ist vielleicht nicht mehr im Angebot, oder der Link ist falsch.",
    error: "Etwas ist schiefgelaufen",
    retry: "Erneut versuchen",
    "reviews.one": "{n} Bewertung",
    "reviews.other": "{n} Bewertungen",
    untranslated: "Dieses Produkt ist noch nicht auf {lang} übersetzt; es wird auf {shown} angezeigt.",
    combination: "Diese Kombination ist nicht erhältlich.",
    image: "Bild {n}",
    noImage: "Kein Bild",
    searchChip: "„{q}“",
    remove: "Filter entfernen: {name}",
    footer: "Tradewind · Waren unabhängiger Hersteller aus aller Welt, grenzüberschreitend versandt.",
  },
  fr: {
    skip: "Aller au contenu",
    search: "Rechercher",
    searchPlaceholder: "Rechercher produits, marques, références…",
    language: "Langue",
    sortBy: "Trier par",
    "sort.newest": "Nouveautés",
    "sort.price-asc": "Prix croissant",
    "sort.price-desc": "Prix décroissant",
    "sort.bestselling": "Meilleures ventes",
    "sort.rating": "Mieux notés",
    "sort.name": "Nom : A–Z",
    filters: "Filtres",
    category: "Catégorie",
    allCategories: "Toutes les catégories",
    brand: "Marque",
    origin: "Pays d'origine",
    price: "Prix",
    anyPrice: "Tous les prix",
    under: "Moins de {max}",
    andAbove: "{min} et plus",
    availability: "Disponibilité",
    inStockOnly: "En stock uniquement",
    clearAll: "Tout effacer",
    allProducts: "Tous les produits",
    resultsFor: "Résultats pour « {q} »",
    "products.one": "{n} produit",
    "products.other": "{n} produits",
    showing: "{shown} sur {total}",
    loadMore: "Voir plus",
    loading: "Chargement…",
    noResults: "Aucun produit ne correspond à vos filtres.",
    noResultsHint: "Retirez un filtre ou essayez une autre recherche.",
    from: "à partir de",
    inStock: "En stock",
    lowStock: "Plus que {n}",
    outOfStock: "Épuisé",
    sale: "Promo",
    upTo: "Jusqu’à −{n} %",
    back: "Retour aux résultats",
    home: "Accueil",
    description: "Description",
    parameters: "Caractéristiques",
    features: "Points forts",
    instructions: "Mode d'emploi",
    details: "Détails",
    material: "Matière",
    model: "Modèle",
    specification: "Spécification",
    productType: "Type",
    usage: "Usage",
    weight: "Poids",
    madeIn: "Fabriqué en : {country}",
    sku: "Réf.",
    available: "En stock · {n} disponibles",
    notFound: "Produit introuvable",
    notFoundText: "Il n'est peut-être plus en vente, ou le lien est erroné.",
    error: "Une erreur s'est produite",
    retry: "Réessayer",
    "reviews.one": "{n} avis",
    "reviews.other": "{n} avis",
    untranslated: "Ce produit n'est pas encore traduit en {lang} ; il est affiché en {shown}.",
    combination: "Cette combinaison n'est pas disponible.",
    image: "Image {n}",
    noImage: "Pas d'image",
    searchChip: "« {q} »",
    remove: "Retirer le filtre : {name}",
    footer: "Tradewind · Des produits de créateurs indépendants du monde entier, livrés partout.",
  },
  ja: {
    skip: "本文へ移動",
    search: "検索",
    searchPlaceholder: "商品・ブランド・SKUを検索…",
    language: "言語",
    sortBy: "並び替え",
    "sort.newest": "新着順",
    "sort.price-asc": "価格の安い順",
    "sort.price-desc": "価格の高い順",
    "sort.bestselling": "売れ筋順",
    "sort.rating": "評価の高い順",
    "sort.name": "名前順",
    filters: "絞り込み",
    category: "カテゴリー",
    allCategories: "すべてのカテゴリー",
    brand: "ブランド",
    origin: "原産国",
    price: "価格",
    anyPrice: "すべての価格",
    under: "{max}未満",
    andAbove: "{min}以上",
    availability: "在庫",
    inStockOnly: "在庫ありのみ",
    clearAll: "すべて解除",
    allProducts: "すべての商品",
    resultsFor: "「{q}」の検索結果",
    "products.one": "{n}件の商品",
    "products.other": "{n}件の商品",
    showing: "{total}件中{shown}件を表示",
    loadMore: "さらに表示",
    loading: "読み込み中…",
    noResults: "条件に合う商品はありません。",
    noResultsHint: "絞り込みを解除するか、別のキーワードで検索してください。",
    from: "",
    fromSuffix: "〜",
    inStock: "在庫あり",
    lowStock: "残り{n}点",
    outOfStock: "在庫切れ",
    sale: "セール",
    upTo: "最大{n}%オフ",
    back: "検索結果に戻る",
    home: "ホーム",
    description: "商品説明",
    parameters: "基本情報",
    features: "特長",
    instructions: "使用方法",
    details: "詳細",
    material: "素材",
    model: "型番",
    specification: "仕様",
    productType: "種類",
    usage: "用途",
    weight: "重量",
    madeIn: "原産国：{country}",
    sku: "SKU",
    available: "在庫あり・残り{n}点",
    notFound: "商品が見つかりません",
    notFoundText: "販売が終了したか、リンクが正しくない可能性があります。",
    error: "エラーが発生しました",
    retry: "再試行",
    "reviews.one": "{n}件のレビュー",
    "reviews.other": "{n}件のレビュー",
    untranslated: "この商品はまだ{lang}に翻訳されていないため、{shown}で表示しています。",
    combination: "この組み合わせはご用意がありません。",
    image: "画像{n}",
    noImage: "画像なし",
    searchChip: "「{q}」",
    remove: "絞り込みを解除：{name}",
    footer: "Tradewind · 世界各地のインディペンデントな作り手の品を、国境を越えてお届けします。",
  },
  zh: {
    skip: "跳到主要内容",
    search: "搜索",
    searchPlaceholder: "搜索商品、品牌、SKU…",
    language: "语言",
    sortBy: "排序",
    "sort.newest": "最新上架",
    "sort.price-asc": "价格从低到高",
    "sort.price-desc": "价格从高到低",
    "sort.bestselling": "销量最高",
    "sort.rating": "评分最高",
    "sort.name": "名称 A–Z",
    filters: "筛选",
    category: "分类",
    allCategories: "全部分类",
    brand: "品牌",
    origin: "原产地",
    price: "价格",
    anyPrice: "不限价格",
    under: "{max}以下",
    andAbove: "{min}及以上",
    availability: "库存",
    inStockOnly: "仅显示有货",
    clearAll: "全部清除",
    allProducts: "全部商品",
    resultsFor: "“{q}”的搜索结果",
    "products.one": "{n} 件商品",
    "products.other": "{n} 件商品",
    showing: "显示 {shown} / {total}",
    loadMore: "加载更多",
    loading: "加载中…",
    noResults: "没有符合筛选条件的商品。",
    noResultsHint: "请尝试移除筛选条件或搜索其他内容。",
    from: "",
    fromSuffix: "起",
    inStock: "有货",
    lowStock: "仅剩 {n} 件",
    outOfStock: "缺货",
    sale: "特价",
    upTo: "最高优惠 {n}%",
    back: "返回结果",
    home: "首页",
    description: "商品描述",
    parameters: "基本参数",
    features: "产品特点",
    instructions: "使用说明",
    details: "详细信息",
    material: "材质",
    model: "型号",
    specification: "规格",
    productType: "类型",
    usage: "用途",
    weight: "重量",
    madeIn: "原产地：{country}",
    sku: "SKU",
    available: "有货 · 可购 {n} 件",
    notFound: "未找到商品",
    notFoundText: "该商品可能已下架，或链接有误。",
    error: "出错了",
    retry: "重试",
    "reviews.one": "{n} 条评价",
    "reviews.other": "{n} 条评价",
    untranslated: "该商品尚无{lang}翻译，当前以{shown}显示。",
    combination: "该组合暂无供应。",
    image: "图片 {n}",
    noImage: "暂无图片",
    searchChip: "“{q}”",
    remove: "移除筛选：{name}",
    footer: "Tradewind · 汇集世界各地独立品牌的好物，跨境直送。",
  },
};

let uiLocale = "en";

function t(key, vars = {}) {
  const table = STRINGS[uiLocale] || STRINGS.en;
  let text = key in table ? table[key] : STRINGS.en[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

function plural(key, n) {
  const form = new Intl.PluralRules(uiLocale).select(n) === "one" ? "one" : "other";
  return t(`${key}.${form}`, { n: n.toLocaleString(uiLocale) });
}

function languageName(code, inLocale = uiLocale) {
  try {
    return new Intl.DisplayNames([inLocale], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function countryName(code) {
  try {
    return new Intl.DisplayNames([uiLocale], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

/** The flag emoji of an ISO 3166-1 alpha-2 code: two regional indicator symbols. */
function flag(code) {
  if (!/^[A-Z]{2}$/.test(code || "")) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

// ---------------------------------------------------------------- DOM helper

/** Creates an element. Children are nodes or strings (inserted as text, never as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "text") el.textContent = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children; null, false and "" children are skipped. */
function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const $ = (id) => document.getElementById(id);

/** Paragraphs from text with blank lines between them. */
function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => h("p", {}, p));
}

const capitalise = (s) => (s ? s.charAt(0).toLocaleUpperCase(uiLocale) + s.slice(1) : s);

// ---------------------------------------------------------------- GraphQL

class GraphQLFailure extends Error {
  constructor(message, errors = []) {
    super(message);
    this.errors = errors;
  }
}

/**
 * Runs a query. Signed in, it sends the access token, refreshing it first when it has run out
 * (or on page load, when only the refresh token is kept); when the server still treats the
 * caller as anonymous (`UNAUTHENTICATED`, or `me` null) it refreshes once more and retries.
 * `auth: false` sends no token (the session mutations themselves).
 */
async function gql(query, variables, locale, { auth = true } = {}) {
  let refreshed = false;
  if (auth && storedRefreshToken() && !accessTokenFresh()) {
    refreshed = true;
    await refreshSession();
  }
  let response = await post(query, variables, locale, auth ? session.accessToken : null);
  if (auth && !refreshed && storedRefreshToken() && looksSignedOut(response.body) && (await refreshSession()))
    response = await post(query, variables, locale, session.accessToken);
  const { body } = response;
  if (body && Array.isArray(body.errors) && body.errors.length) {
    throw new GraphQLFailure(body.errors.map((e) => e.message).join("\n"), body.errors);
  }
  if (!response.ok || !body || !body.data) {
    throw new GraphQLFailure(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  return body.data;
}

/** One POST to the endpoint; `body` is null when the answer is not JSON. */
async function post(query, variables, locale, token) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        // Money.formatted follows the request's locale (Accept-Language), not the
        // `locale` argument: send both so prices and text agree.
        "Accept-Language": locale,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new GraphQLFailure(`Network error: ${err.message}`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  return { ok: response.ok, status: response.status, statusText: response.statusText, body };
}

/** Whether an answer treated the caller as anonymous. */
const looksSignedOut = (body) =>
  !!body &&
  ((body.errors || []).some((e) => e.extensions?.code === "UNAUTHENTICATED") ||
    (!!body.data && "me" in body.data && body.data.me === null));

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
               $locale: String, $withFacets: Boolean!) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy, locale: $locale) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${CARD_FIELDS} }
    facets @include(if: $withFacets) {
      total
      categories { count category { id slug } }
      brands { count brand { id slug name } }
      origins { country count }
      prices { count min { amount formatted } max { amount formatted } }
    }
  }
}`;

const PRODUCT_QUERY = `
query Product($slug: String!, $locale: String) {
  product(slug: $slug, locale: $locale) {
    id slug name description parameters { name value } features instructions locale
    originCountry specification model material productType usage weightGrams
    ratingAverage ratingCount
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

// ---------------------------------------------------------------- state in the URL hash

/**
 * #/?q=..&sort=..&lang=..&cat=<slug>&brand=<slug>,<slug>&origin=JP,IT&price=<min>-<max>&stock=1
 * #/product/<slug>?<the same list state, so "back" keeps the filters>
 */
function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  const params = new URLSearchParams(query);
  const list = (name) => (params.get(name) || "").split(",").map((s) => s.trim()).filter(Boolean);
  const sort = params.get("sort");
  const lang = params.get("lang");
  const state = {
    q: (params.get("q") || "").trim(),
    sort: sort in SORTS ? sort : DEFAULT_SORT,
    lang: LOCALE_CODES.includes(lang) ? lang : preferredLocale(),
    langExplicit: LOCALE_CODES.includes(lang),
    cat: params.get("cat") || "",
    brands: list("brand"),
    origins: list("origin").map((c) => c.toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)),
    price: parsePrice(params.get("price")),
    stock: params.get("stock") === "1",
  };
  const match = path.match(/^\/product\/([^/]+)\/?$/);
  if (match) return { route: "product", slug: decodeURIComponent(match[1]), state };
  return { route: "list", state };
}

function parsePrice(value) {
  const m = /^(\d+(?:\.\d+)?)?-(\d+(?:\.\d+)?)?$/.exec(value || "");
  if (!m || (!m[1] && !m[2])) return null;
  return { min: m[1] || null, max: m[2] || null };
}

function preferredLocale() {
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (LOCALE_CODES.includes(base)) return base;
  }
  return "en";
}

/** The query string of a list state; defaults are left out. */
function serialize(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.cat) p.set("cat", state.cat);
  if (state.brands.length) p.set("brand", state.brands.join(","));
  if (state.origins.length) p.set("origin", state.origins.join(","));
  if (state.price) p.set("price", `${state.price.min || ""}-${state.price.max || ""}`);
  if (state.stock) p.set("stock", "1");
  if (state.sort !== DEFAULT_SORT) p.set("sort", state.sort);
  if (state.langExplicit) p.set("lang", state.lang);
  return p.toString().replace(/%2C/g, ",");
}

const listHref = (state) => {
  const qs = serialize(state);
  return qs ? `#/?${qs}` : "#/";
};
const productHref = (slug, state) => {
  const qs = serialize(state);
  return `#/product/${encodeURIComponent(slug)}${qs ? `?${qs}` : ""}`;
};
const withState = (state, changes) => ({ ...state, ...changes });
const toggled = (values, value) =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

function navigate(href) {
  if (location.hash === href || (href === "#/" && !location.hash)) route();
  else location.hash = href;
}

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

// ---------------------------------------------------------------- money helpers

/** One minor unit less than a decimal string ("50.00" -> "49.99"; "1000" -> "999"). */
function minusOneMinorUnit(amount) {
  const [whole, frac = ""] = String(amount).split(".");
  const digits = frac.length;
  const minor = BigInt(whole + frac) - 1n;
  if (minor < 0n) return "0";
  const s = minor.toString().padStart(digits + 1, "0");
  return digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
}

const amountNumber = (money) => (money ? Number(money.amount) : NaN);

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

function discountPercent(price, compareAt) {
  const p = amountNumber(price);
  const c = amountNumber(compareAt);
  if (!(c > p) || !(p >= 0)) return 0;
  return Math.round((1 - p / c) * 100);
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

// ---------------------------------------------------------------- header

function setupHeader() {
  const localeSelect = $("locale-select");
  for (const [code, name] of LOCALES) localeSelect.append(h("option", { value: code }, name));
  localeSelect.addEventListener("change", () => {
    const { route: r, slug, state } = parseHash();
    const next = withState(state, { lang: localeSelect.value, langExplicit: true });
    navigate(r === "product" ? productHref(slug, next) : listHref(next));
  });

  $("sort-select").addEventListener("change", (e) => {
    const { state } = parseHash();
    navigate(listHref(withState(state, { sort: e.target.value })));
  });

  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const { state } = parseHash();
    const q = $("search-input").value.trim();
    navigate(listHref(withState(state, { q })));
    $("search-input").blur();
  });

  $("filters-toggle").addEventListener("click", () => {
    const open = !document.body.classList.contains("filters-open");
    document.body.classList.toggle("filters-open", open);
    $("filters-toggle").setAttribute("aria-expanded", String(open));
  });

  $("load-more").addEventListener("click", loadMore);
}

function applyChrome(state) {
  uiLocale = state.lang;
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]"))
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  for (const el of document.querySelectorAll("[data-i18n-aria]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAria));

  $("locale-select").value = state.lang;
  const sortSelect = $("sort-select");
  sortSelect.replaceChildren(
    ...Object.keys(SORTS).map((key) => h("option", { value: key }, t(`sort.${key}`)))
  );
  sortSelect.value = state.sort;
  if (document.activeElement !== $("search-input")) $("search-input").value = state.q;
  $("home-link").setAttribute("href", state.langExplicit ? `#/?lang=${state.lang}` : "#/");
  $("load-more").textContent = t("loadMore");
}

// ---------------------------------------------------------------- list view

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
    // Buckets are [min, max); the filter's max is inclusive.
    filter.price = {
      min: state.price.min,
      max: state.price.max ? minusOneMinorUnit(state.price.max) : null,
    };
  }
  if (state.stock) filter.inStock = true;
  if (state.q) filter.search = state.q;
  return {
    first: PAGE_SIZE,
    after,
    filter,
    sortBy: SORTS[state.sort],
    locale: state.lang,
    withFacets: after === null,
  };
}

async function showList(state) {
  $("list-view").hidden = false;
  $("detail-view").hidden = true;
  const key = serialize(withState(state, { langExplicit: true }));

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

const NO_FACETS = { total: 0, categories: [], brands: [], origins: [], prices: [] };

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

function errorBox(err, retry) {
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("strong", {}, t("error")),
    h("pre", { class: "error-message" }, err && err.message ? err.message : String(err)),
    retry ? h("button", { type: "button", class: "button", onclick: retry }, t("retry")) : null
  );
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

function rating(avg, count, compact = false) {
  const value = Math.max(0, Math.min(5, Number(avg) || 0));
  const label = `${value.toLocaleString(uiLocale, { maximumFractionDigits: 1 })} / 5 · ${plural("reviews", count)}`;
  return h("p", { class: `rating${compact ? " rating-compact" : ""}`, title: label },
    h("span", { class: "stars", style: `--rating:${value}`, "aria-hidden": "true" }),
    h("span", { class: "visually-hidden" }, label),
    h("span", { class: "rating-text", "aria-hidden": "true" },
      compact ? `${value.toFixed(1)} (${count.toLocaleString(uiLocale)})`
        : `${value.toFixed(1)} · ${plural("reviews", count)}`)
  );
}

// ----- filters

function activeFilterCount(state) {
  return (state.cat ? 1 : 0) + state.brands.length + state.origins.length + (state.price ? 1 : 0) + (state.stock ? 1 : 0);
}

function clearedState(state) {
  return withState(state, { q: "", cat: "", brands: [], origins: [], price: null, stock: false });
}

function facetSection(title, body, { id } = {}) {
  const headingId = `facet-${id}`;
  return h("section", { class: "facet", "aria-labelledby": headingId },
    h("h2", { class: "facet-title", id: headingId }, title), body);
}

function renderFilters(state, boot, facets) {
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
        }, h("span", { class: "cat-name" }, node.name), h("span", { class: "count" }, String(counts.get(node.id) || 0))),
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
    }, h("span", { class: "cat-name" }, t("allCategories")), h("span", { class: "count" }, String(allCount))),
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
        checkItem({
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
        checkItem({
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
      radioItem({ name, checked: !state.price, label: t("anyPrice"),
        onchange: () => navigate(listHref(withState(state, { price: null }))) }),
      buckets.map((b) =>
        radioItem({
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
  if (!b.min) return t("under", { max: b.max.formatted });
  if (!b.max) return t("andAbove", { min: b.min.formatted });
  return `${b.min.formatted} – ${b.max.formatted}`;
}

let controlSeq = 0;

function checkItem({ checked, label, count, onchange, title }) {
  const id = `f${++controlSeq}`;
  return h("li", { class: "check", title },
    h("input", { type: "checkbox", id, checked, onchange }),
    h("label", { for: id }, h("span", { class: "check-label" }, label),
      count !== undefined ? h("span", { class: "count" }, String(count)) : null));
}

function radioItem({ name, checked, label, count, onchange }) {
  const id = `f${++controlSeq}`;
  return h("li", { class: "check" },
    h("input", { type: "radio", name, id, checked, onchange }),
    h("label", { for: id }, h("span", { class: "check-label" }, label),
      count !== undefined ? h("span", { class: "count" }, String(count)) : null));
}

function renderChips(state, boot, facets) {
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

// ---------------------------------------------------------------- product detail

let detailSeq = 0;

async function showProduct(slug, state) {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
  $("list-view").hidden = true;
  const view = $("detail-view");
  view.hidden = false;
  document.body.classList.remove("filters-open");
  const seq = ++detailSeq;
  const back = backLink(state);

  view.replaceChildren(back, h("div", { class: "detail-loading", role: "status" },
    h("div", { class: "detail-grid" },
      h("div", { class: "gallery-main skeleton" }),
      h("div", {}, h("div", { class: "skeleton skeleton-line short" }), h("div", { class: "skeleton skeleton-title" }),
        h("div", { class: "skeleton skeleton-line" }), h("div", { class: "skeleton skeleton-line wide" }),
        h("span", { class: "visually-hidden" }, t("loading"))))));
  window.scrollTo(0, 0);

  try {
    const data = await gql(PRODUCT_QUERY, { slug, locale: state.lang }, state.lang);
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
    view.replaceChildren(back, renderProduct(product, state));
  } catch (err) {
    if (seq !== detailSeq) return;
    view.replaceChildren(back, errorBox(err, () => showProduct(slug, state)));
  }
}

function backLink(state) {
  return h("nav", { class: "detail-nav" },
    h("a", { class: "back-link", href: listHref(state) },
      h("span", { "aria-hidden": "true" }, "← "), t("back")));
}

function renderProduct(p, state) {
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

  info.append(renderBuyBox(p));

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

  return h("article", { class: "product" }, crumbs,
    h("div", { class: "detail-grid" }, gallery, info), lower.children.length ? lower : null);
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
function renderBuyBox(p) {
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
        const labelId = `opt-${++controlSeq}`;
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
  box.append(priceEl, optionNames.length || byName ? pickers : null, stockEl, skuEl);
  return box;
}

// ---------------------------------------------------------------- router

function route() {
  const { route: r, slug, state } = parseHash();
  const localeChanged = uiLocale !== state.lang;
  applyChrome(state);
  if (localeChanged && list) list.key = null; // names and prices are per locale
  if (r === "product") showProduct(slug, state);
  else {
    detailSeq++;
    showList(state);
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("scroll", () => {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
}, { passive: true });

setupHeader();
route();
