// The orders screen, not built yet: it says so rather than showing an empty page.

import { t } from "../../lib/i18n.js";
import { pageHead, state } from "../ui/page.js";

export function show(view) {
  view.replaceChildren(pageHead(t("nav.orders")), state(t("screen.notBuilt")));
}
