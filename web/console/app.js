// Tradewind console: the merchant's single page over the public GraphQL API, in ES modules
// with no build step. This entry draws the frame (top bar, navigation by permission, language)
// and the screen of the address. Each screen is a module of screens/ (see routes.js), loaded
// when first shown, exporting `show(view, ctx)`; `ctx` holds the address (`path`, `segments`,
// `params`), `current()` (whether the screen is still the one shown, once its data arrives)
// and `onLeave(fn)` (run when it is left: stop subscriptions and timers).

import { $, h } from "../lib/dom.js";
import { setLocale, t, uiLocale, useMessages } from "../lib/i18n.js";
import { startRouter } from "../lib/router.js";
import { readText } from "../lib/storage.js";
import { can, loadViewer, onLiveState, session, viewer } from "./api.js";
import { LOCALES, MESSAGES } from "./messages.js";
import { href, parseHash, SCREENS, screenOf } from "./routes.js";
import { showSignIn } from "./signin.js";
import { button, state } from "./ui/page.js";

const LOCALE_KEY = "tradewind.console.locale";

let leaving = []; // what the shown screen asked to run when it is left
let shownSeq = 0;
let shownHash = null; // the address on screen, to come back to when leaving is refused

function chosenLocale() {
  const kept = readText(LOCALE_KEY);
  if (LOCALES.some(([code]) => code === kept)) return kept;
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** Puts the page's fixed words in its language. */
function applyLanguage() {
  document.documentElement.lang = uiLocale === "zh" ? "zh-Hans" : uiLocale;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  document.title = `${t("console")} · Tradewind`;
}

function leaveScreen() {
  for (const fn of leaving.splice(0)) {
    try {
      fn();
    } catch (err) {
      console.error(err);
    }
  }
}

/** The navigation: the screens this member may open, grouped, the current one marked. */
function drawNav(current) {
  const nav = $("nav");
  nav.replaceChildren();
  let group;
  for (const screen of SCREENS) {
    if (!can(screen.needs)) continue;
    if (screen.group !== group) {
      group = screen.group;
      if (group) nav.append(h("div", { class: "nav-group" }, t(group)));
    }
    nav.append(h("a", { href: href(screen.path), "aria-current": screen.path === current ? "page" : null, dataset: { screen: screen.path } }, t(screen.label)));
  }
  drawCounts();
  nav.hidden = false;
  $("menu-button").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = viewer.user.nickname || viewer.user.email || viewer.user.phone || "";
}

let countsSeq = 0;

/** The counts of the screens that show one in the menu; none while it is zero or unknown. */
async function drawCounts() {
  const seq = ++countsSeq;
  for (const screen of SCREENS) {
    if (!screen.counted || !can(screen.needs)) continue;
    let n = 0;
    try {
      n = await (await screen.load()).count();
    } catch {
      continue; // a count only helps: the screen itself says what went wrong
    }
    const link = $("nav").querySelector(`a[data-screen="${screen.path}"]`);
    if (seq !== countsSeq || !link) return;
    link.querySelector(".nav-count")?.remove();
    if (n > 0) link.append(h("span", { class: "nav-count", "aria-label": t("nav.count", { n }) }, String(n)));
  }
}

function signedOutFrame() {
  $("nav").hidden = true;
  $("menu-button").hidden = true;
  $("who").hidden = true;
  $("live-state").hidden = true;
}

function askSignIn(notice = null) {
  shownSeq++; // a screen still drawing must not draw over the sign-in page
  leaveScreen();
  signedOutFrame();
  showSignIn($("main"), { notice, done: () => route() });
}

/** Whether the shown screen holds edits not saved yet (a form marked `data-unsaved`). */
const unsaved = () => !!$("main").querySelector("form[data-unsaved]");

async function route() {
  const seq = ++shownSeq;
  document.body.classList.remove("nav-open");
  $("menu-button").setAttribute("aria-expanded", "false");
  if (!session.signedIn()) return askSignIn();
  if (!viewer.user) {
    let member = null;
    try {
      member = await loadViewer();
    } catch (err) {
      return showFailure(err, seq);
    }
    if (seq !== shownSeq) return;
    if (!member) {
      const signedIn = session.signedIn();
      if (signedIn) await session.signOut();
      return askSignIn(signedIn ? t("signin.notStaff") : null);
    }
  }
  leaveScreen();
  shownHash = location.hash;
  const address = parseHash();
  const screen = screenOf(address.path);
  drawNav(screen?.path);
  const view = $("main");
  if (!screen) return view.replaceChildren(state(t("screen.notFound"), { error: true }));
  if (!can(screen.needs)) {
    const permission = screen.needs.map((p) => t(`permission.${p}`)).join(" / ");
    return view.replaceChildren(state(t("screen.forbidden", { permission }), { error: true }));
  }
  view.replaceChildren(state(t("loading")));
  const ctx = {
    ...address,
    current: () => seq === shownSeq,
    onLeave: (fn) => leaving.push(fn),
  };
  try {
    const module = await screen.load();
    if (seq !== shownSeq) return;
    await module.show(view, ctx);
  } catch (err) {
    showFailure(err, seq);
  }
}

function showFailure(err, seq) {
  if (seq !== shownSeq) return;
  console.error(err);
  $("main").replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }), button(t("screen.retry"), () => route()));
}

function setupFrame() {
  const select = $("locale-select");
  select.replaceChildren(...LOCALES.map(([code, name]) => h("option", { value: code, selected: code === uiLocale }, name)));
  select.addEventListener("change", () => {
    if (unsaved() && !confirm(t("screen.unsaved"))) {
      select.value = uiLocale;
      return;
    }
    setLocale(select.value);
    localStorage.setItem(LOCALE_KEY, select.value);
    applyLanguage();
    route();
  });
  $("sign-out").addEventListener("click", async () => {
    if (unsaved() && !confirm(t("screen.unsaved"))) return;
    viewer.user = null;
    const ending = session.signOut(); // forgets the tokens at once, then tells the server
    askSignIn();
    await ending;
  });
  $("menu-button").addEventListener("click", () => {
    const open = document.body.classList.toggle("nav-open");
    $("menu-button").setAttribute("aria-expanded", String(open));
  });
  // A screen that changed what a count counts (a parcel handled) asks for the counts again.
  window.addEventListener("console:counts", () => {
    if (viewer.user) drawCounts();
  });
  onLiveState((s) => {
    const el = $("live-state");
    el.hidden = !s;
    el.dataset.state = s || "";
    el.textContent = s ? t(`live.${s}`) : "";
  });
  // Typing in an edit form marks it unsaved until `mutate` saves it.
  $("main").addEventListener("input", (e) => {
    const form = e.target.closest?.("form[data-edit]");
    if (form) form.dataset.unsaved = "";
  });
  // Leaving a screen with unsaved edits asks first; refused, the address goes back.
  window.addEventListener("hashchange", (e) => {
    if (shownHash !== null && location.hash !== shownHash && unsaved() && !confirm(t("screen.unsaved"))) {
      e.stopImmediatePropagation();
      history.replaceState(null, "", shownHash);
    }
  }, { capture: true });
  window.addEventListener("beforeunload", (e) => {
    if (unsaved()) e.preventDefault();
  });
}

useMessages(MESSAGES);
setLocale(chosenLocale());
applyLanguage();
setupFrame();
// A sign-in that ends by itself (its refresh token refused) sends the member back to sign in.
session.on({
  ended: () => {
    if (!viewer.user) return;
    viewer.user = null;
    askSignIn(t("signin.ended"));
  },
});
// Signed in or out in another tab.
window.addEventListener("storage", (e) => {
  if (e.key !== session.storageKey || !e.newValue === !e.oldValue) return;
  session.forget();
  viewer.user = null;
  route();
});
startRouter(route);
if (!location.hash) history.replaceState(null, "", href("home"));
route();
