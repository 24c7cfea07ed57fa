// The console's screens and its addresses. A screen is a row of SCREENS: its path, the
// permissions that open it (any one of them; admins hold all), its navigation label and group,
// and the module that draws it, loaded the first time it is shown (`counted`: the module's
// `count()` is shown next to the label, such as the parcels waiting for staff). An address is
// `#/<path>/<more segments>?<filters>`: segments name a record (`#/orders/<id>`), the query
// keeps a list's filters, sort and page so that reloading or sharing the address shows the same.

/** Every screen, in navigation order. `needs`: null (any staff member) or permission names. */
export const SCREENS = [
  { path: "home", label: "nav.home", group: null, needs: null, load: () => import("./screens/home.js") },
  { path: "orders", label: "nav.orders", group: "nav.sell", needs: ["ORDERS"], load: () => import("./screens/orders.js") },
  { path: "returns", label: "nav.returns", group: "nav.sell", needs: ["ORDERS"], load: () => import("./screens/returns.js") },
  { path: "parcels", label: "nav.parcels", group: "nav.sell", needs: ["ORDERS"], load: () => import("./screens/parcels.js"), counted: true },
  { path: "support", label: "nav.support", group: "nav.sell", needs: ["SUPPORT"], load: () => import("./screens/support.js") },
  { path: "customers", label: "nav.customers", group: "nav.sell", needs: ["CUSTOMERS"], load: () => import("./screens/customers.js") },
  { path: "marketing", label: "nav.marketing", group: "nav.sell", needs: ["CATALOG", "CUSTOMERS"], load: () => import("./screens/marketing.js") },
  { path: "catalog", label: "nav.catalog", group: "nav.goods", needs: ["CATALOG"], load: () => import("./screens/catalog.js") },
  { path: "inventory", label: "nav.inventory", group: "nav.goods", needs: ["INVENTORY"], load: () => import("./screens/inventory.js") },
  { path: "money", label: "nav.money", group: "nav.numbers", needs: ["REPORTS"], load: () => import("./screens/money.js") },
  { path: "statistics", label: "nav.statistics", group: "nav.numbers", needs: ["REPORTS"], load: () => import("./screens/statistics.js") },
  { path: "shipping", label: "nav.shipping", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/shipping.js") },
  { path: "customs", label: "nav.customs", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/customs.js") },
  { path: "return-policy", label: "nav.returnPolicy", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/returns-policy.js") },
  { path: "support-setup", label: "nav.supportSetup", group: "nav.setup", needs: ["SETTINGS", "SUPPORT"], load: () => import("./screens/support-setup.js") },
  { path: "payment-methods", label: "nav.paymentMethods", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/payment-methods.js") },
  { path: "currencies", label: "nav.currencies", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/currencies.js") },
  { path: "jobs", label: "nav.jobs", group: "nav.setup", needs: ["SETTINGS"], load: () => import("./screens/jobs.js") },
  { path: "staff", label: "nav.staff", group: "nav.setup", needs: ["ADMIN"], load: () => import("./screens/staff.js") },
];

/** The screen of a path, or undefined. */
export const screenOf = (path) => SCREENS.find((s) => s.path === path);

/** The current address: `{path, segments, params}` (`#/orders/42?status=SHIPPED`). */
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [pathPart, query = ""] = raw.split("?", 2);
  const parts = pathPart.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { path: parts[0] || "home", segments: parts.slice(1), params: new URLSearchParams(query) };
}

/** The address of a screen: `href("orders", [id], {status: "SHIPPED"})`; empty params are left out. */
export function href(path, segments = [], params = {}) {
  const query = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [name, value] of entries) if (value !== null && value !== undefined && value !== "") query.set(name, value);
  const tail = segments.map((s) => encodeURIComponent(s)).join("/");
  const qs = query.toString();
  return `#/${path}${tail ? `/${tail}` : ""}${qs ? `?${qs}` : ""}`;
}
