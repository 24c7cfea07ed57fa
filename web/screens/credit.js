// Store credit on the account page: the balance in each currency and the latest movements,
// each told in the shopper's language (what it was for, and the order it concerns).

import { h } from "../lib/dom.js";
import { formatDate, t } from "../lib/i18n.js";
import { MONEY } from "../shop/money.js";
import { orderHref, parseHash } from "../shop/routes.js";
import { panel } from "../shop/ui.js";

/** The fields of `User.storeCredit` the panel shows. */
export const STORE_CREDIT_FIELDS = `storeCredit {
  balances { currency balance { ${MONEY} } }
  entries(first: 10) { totalCount nodes { id kind amount { ${MONEY} } balanceAfter { ${MONEY} } orderNumber createdAt } }
}`;

export function storeCreditPanel(me) {
  const credit = me.storeCredit;
  const held = credit.balances.filter((b) => Number(b.balance.amount) > 0);
  const entries = credit.entries.nodes;
  if (!held.length && !entries.length) return null;
  return panel("store-credit", t("storeCredit"),
    h("ul", { class: "credit-balances" }, (held.length ? held : credit.balances).map((b) =>
      h("li", { class: "credit-balance", dataset: { currency: b.currency } }, h("strong", {}, b.balance.formatted)))),
    h("p", { class: "muted" }, t("storeCreditHint")),
    entries.length
      ? h("ul", { class: "rows credit-history" }, entries.map((e) => {
          const spent = Number(e.amount.amount) < 0;
          return h("li", { class: "row" },
            h("span", { class: "row-main" }, t(`credit.${e.kind}`),
              e.orderNumber
                ? h("span", { class: "row-note" }, h("a", { href: orderHref(e.orderNumber, parseHash().state) }, t("orderNumber", { number: e.orderNumber })))
                : null),
            h("time", { class: "row-date", datetime: e.createdAt }, formatDate(e.createdAt)),
            h("span", { class: `row-amount ${spent ? "is-spent" : "is-earned"}` }, spent ? e.amount.formatted : `+${e.amount.formatted}`));
        }))
      : null);
}
