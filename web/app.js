// Tradewind storefront: a single page over the GraphQL API at /graphql, in ES modules with no
// build step. This entry wires them: lib/ holds what any app of the site can use (the GraphQL
// client, the session, i18n, DOM and form helpers, the router), shop/ the storefront's shared
// pieces (its API connection, header, cart, currencies, URL state), screens/ one module per page.

import { $ } from "./lib/dom.js";
import { uiLocale, useMessages } from "./lib/i18n.js";
import { startRouter } from "./lib/router.js";
import { session, signedIn } from "./shop/api.js";
import { mergeGuestCart, refreshCartBadge, storedCartToken } from "./shop/cart.js";
import { openChat, setupChat } from "./shop/chat.js";
import { applyChrome, renderAccountNav, setupHeader } from "./shop/chrome.js";
import { loadCurrencies } from "./shop/currency.js";
import { MESSAGES } from "./shop/locales.js";
import { parseHash } from "./shop/routes.js";
import { showView } from "./shop/ui.js";
import { showAccount } from "./screens/account.js";
import { completeOAuth, showForgotPassword, showRegister, showSignIn } from "./screens/auth.js";
import { showCart } from "./screens/cart.js";
import { forgetList, keepListScroll, setupList, showList } from "./screens/catalog.js";
import { showCheckout } from "./screens/checkout.js";
import { showOrder, stopOrderWatch } from "./screens/order.js";
import { leaveProduct, showProduct } from "./screens/product.js";

/** The pages drawn in the page view, by route: `render(view, state, current)`. */
const PAGES = {
  "sign-in": showSignIn,
  register: showRegister,
  "forgot-password": showForgotPassword,
  account: showAccount,
  cart: showCart,
  checkout: showCheckout,
};
let pageSeq = 0;

/** Draws a page; `current()` tells it, once its data has come, whether it is still the page shown. */
function showPage(render, state) {
  keepListScroll();
  showView("page-view");
  document.body.classList.remove("filters-open");
  window.scrollTo(0, 0);
  const seq = ++pageSeq;
  render($("page-view"), state, () => seq === pageSeq);
}

function route() {
  const { route: r, slug, token, state } = parseHash();
  const localeChanged = uiLocale !== state.lang;
  applyChrome(state);
  if (localeChanged) forgetList(); // names and prices are per locale
  pageSeq++;
  stopOrderWatch();
  if (r === "product") showProduct(slug, state);
  else {
    leaveProduct();
    if (r === "order") showPage((view, s, current) => showOrder(view, s, current, slug), state);
    else if (r in PAGES) showPage(PAGES[r], state);
    else showList(state);
    if (r === "chat") {
      // A link from an email: the chat opens on its conversation, and the token leaves the
      // address bar (it is kept with the chat, as when the guest started it).
      history.replaceState(null, "", state.langExplicit ? `#/?lang=${state.lang}` : "#/");
      openChat({ conversation: { number: slug, token } });
    }
  }
}

useMessages(MESSAGES);
session.on({
  started: renderAccountNav,
  forgotten: forgetList, // members may see other prices and products
  ended: () => {
    renderAccountNav();
    refreshCartBadge();
  },
});
// Signed in or out in another tab.
window.addEventListener("storage", (e) => {
  if (e.key !== session.storageKey || !e.newValue === !e.oldValue) return;
  session.forget();
  route();
});

startRouter(route);
setupHeader({ onCurrencyChange: forgetList });
setupList();
setupChat();
Promise.all([completeOAuth(), loadCurrencies()]).finally(() => {
  route();
  // A guest cart left over from a sign-in whose merge did not get through is merged now.
  if (signedIn() && storedCartToken()) mergeGuestCart();
  else refreshCartBadge();
});
