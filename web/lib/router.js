// Hash routing: one handler draws the page for the address; `navigate` goes to an address,
// drawing the page again when it is already there (no hashchange fires then).

let handler = () => {};

/** Draws pages with `route` from now on, at each change of the hash. */
export function startRouter(route) {
  handler = route;
  window.addEventListener("hashchange", () => handler());
}

/** Draws the current address again. */
export const rerender = () => handler();

export function navigate(href) {
  if (location.hash === href || (href === "#/" && !location.hash)) handler();
  else location.hash = href;
}
