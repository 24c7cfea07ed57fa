// The Money screen's sections: the settlement report and the tax returns.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { addMessages } from "../../messages.js";
import { href } from "../../routes.js";

addMessages({
  en: { "money.tabs": "Money sections", "money.tab.settlement": "Settlement", "money.tab.returns": "Tax returns" },
  zh: { "money.tabs": "资金分区", "money.tab.settlement": "结算", "money.tab.returns": "税务申报" },
});

const TABS = [
  ["", "money.tab.settlement"],
  ["returns", "money.tab.returns"],
];

/** The section links under the page head, the shown one marked. */
export function moneyTabs(current) {
  return h("nav", { class: "tabs", "aria-label": t("money.tabs") },
    TABS.map(([path, label]) => h("a", { href: href("money", path ? [path] : []), "aria-current": path === current ? "page" : null }, t(label))));
}
