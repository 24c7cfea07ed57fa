// The shopper's cart outside the cart page: the token of a guest's cart, the count in the
// header, loading it in the chosen currency, and merging a guest cart into a member's.

import { $, h } from "../lib/dom.js";
import { plural, t, uiLocale } from "../lib/i18n.js";
import { readText } from "../lib/storage.js";
import { chosenCurrency, gql, signedIn } from "./api.js";
import { MONEY } from "./money.js";
import { pageHref, parseHash } from "./routes.js";

// A guest's cart is found by the token the API answered when it made the cart; a member's
// cart belongs to the account and needs none.
const CART_KEY = "tradewind.cartToken";
const AMOUNTS = `subtotal { ${MONEY} } memberDiscount { ${MONEY} } couponDiscount { ${MONEY} }
  pointsDiscount { ${MONEY} } discountTotal { ${MONEY} } shipping { ${MONEY} } duty { ${MONEY} }
  importTax { ${MONEY} } total { ${MONEY} }`;
export const ORDER_ERRORS = "errors { field code message orderNumber }";
export const QUOTE_FIELDS = `
  currency itemCount allInStock couponCode couponProblem { code message } pointsRedeemed
  rate { currency rate source rateDate }
  lines {
    productName quantity available inStock unitPrice { ${MONEY} } lineTotal { ${MONEY} }
    variant { id sku name product { slug featuredImage { url alt width height } } }
    returnPolicy { finalSale summary }
  }
  amounts { ${AMOUNTS} }
  shopAmounts { ${AMOUNTS} }`;
const CART_PAYLOAD = `cart { quote { ${QUOTE_FIELDS} } } ${ORDER_ERRORS}`;
export const CART = {
  get: `query Cart($cartToken: String, $currency: CurrencyCode) {
    cart(cartToken: $cartToken, currency: $currency) { quote { ${QUOTE_FIELDS} } } }`,
  count: `query CartCount($cartToken: String, $currency: CurrencyCode) {
    cart(cartToken: $cartToken, currency: $currency) { quote { itemCount } } }`,
  add: `mutation AddToCart($input: CartLineInput!) { addToCart(input: $input) { cartToken cart { quote { itemCount } } ${ORDER_ERRORS} } }`,
  update: `mutation UpdateCartLine($input: CartLineInput!) { updateCartLine(input: $input) { ${CART_PAYLOAD} } }`,
  coupon: `mutation CartCoupon($input: CartCouponInput!) { applyCartCoupon(input: $input) { ${CART_PAYLOAD} } }`,
  merge: `mutation MergeCart($cartToken: String!) { mergeCart(cartToken: $cartToken) { cart { quote { itemCount } } ${ORDER_ERRORS} } }`,
};

export const storedCartToken = () => readText(CART_KEY);

/** The token to send with cart calls: a guest's, never a member's. */
export const cartToken = () => (signedIn() ? null : storedCartToken());
export const keepCartToken = (token) => localStorage.setItem(CART_KEY, token);
export const forgetCartToken = () => localStorage.removeItem(CART_KEY);

let cartCount = 0;

export function setCartCount(n) {
  cartCount = n || 0;
  renderCartLink();
}

export function renderCartLink() {
  const link = $("cart-link");
  link.setAttribute("href", pageHref("cart", parseHash().state));
  link.setAttribute("aria-label", cartCount ? `${t("cart")}: ${plural("items", cartCount)}` : t("cart"));
  const count = $("cart-count");
  count.textContent = cartCount ? cartCount.toLocaleString(uiLocale) : "";
  count.hidden = !cartCount;
}

/** The cart priced in the chosen currency; null when there is none. */
export async function loadCart() {
  const token = cartToken();
  if (!signedIn() && !token) return null;
  const data = await gql(CART.get, { cartToken: token, currency: chosenCurrency() }, uiLocale);
  if (!data.cart && token) forgetCartToken(); // the cart has gone (placed or expired)
  return data.cart?.quote || null;
}

export async function refreshCartBadge() {
  const token = cartToken();
  if (!signedIn() && !token) return setCartCount(0);
  try {
    const data = await gql(CART.count, { cartToken: token, currency: chosenCurrency() }, uiLocale);
    if (!data.cart && token) forgetCartToken();
    setCartCount(data.cart?.quote.itemCount || 0);
  } catch {
    /* the badge keeps its count */
  }
}

/** After signing in: the guest cart's lines move into the member's cart, and its token is done. */
export async function mergeGuestCart() {
  const token = storedCartToken();
  if (token && signedIn()) {
    try {
      const { errors } = (await gql(CART.merge, { cartToken: token }, uiLocale)).mergeCart;
      // NOT_FOUND: nothing left to merge (placed, expired or merged in another tab).
      if (!errors.length || errors.some((e) => e.code === "NOT_FOUND")) forgetCartToken();
    } catch {
      /* kept, and merged after the next sign-in */
    }
  }
  await refreshCartBadge();
}

/**
 * Cart mutations price the cart in the member's profile currency before the one chosen here
 * (they take no currency argument); price it again when the answer came in another.
 */
export async function inChosenCurrency(quote) {
  const wanted = chosenCurrency();
  if (!quote || !wanted || quote.currency === wanted) return quote;
  try {
    return (await loadCart()) || quote;
  } catch {
    return quote;
  }
}

export function lineThumb(line) {
  const img = line.variant.product?.featuredImage;
  return img
    ? h("img", { class: "line-thumb", src: img.url, alt: "", width: img.width, height: img.height, loading: "lazy" })
    : h("span", { class: "line-thumb no-image", "aria-hidden": "true" });
}
