// A date range chosen on the Money and Statistics screens: kept in the address (`?from=&to=`)
// so that reloading or sharing it shows the same figures, with a few ready-made ranges.

import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { field, input, submitButton } from "../lib/forms.js";
import { navigate } from "../lib/router.js";
import { addMessages } from "./messages.js";
import { href } from "./routes.js";
import { button } from "./ui/page.js";
import { today } from "./ui/format.js";

addMessages({
  en: {
    "range.from": "From",
    "range.to": "To",
    "range.apply": "Show",
    "range.last7": "Last 7 days",
    "range.last30": "Last 30 days",
    "range.last90": "Last 90 days",
    "range.wrong": "The range must end on or after the day it starts.",
  },
  zh: {
    "range.from": "开始日期",
    "range.to": "结束日期",
    "range.apply": "查询",
    "range.last7": "近 7 天",
    "range.last30": "近 30 天",
    "range.last90": "近 90 天",
    "range.wrong": "结束日期不能早于开始日期。",
  },
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range in the address, or the last `days` days (today included). */
export function rangeOf(params, days = 30) {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && DAY.test(from) && DAY.test(to) && from <= to) return { from, to };
  return { from: today(1 - days), to: today() };
}

/** The form that changes the range of screen `path`: the screen is drawn again for it. */
export function rangeForm(path, range) {
  const from = input({ type: "date", name: "from", value: range.from, required: true });
  const to = input({ type: "date", name: "to", value: range.to, required: true });
  const go = (next) => navigate(href(path, [], next));
  const preset = (days, label) => button(t(label), () => go({ from: today(1 - days), to: today() }), { kind: "secondary" });
  const form = h("form", { class: "range-form", dataset: { range: "" } },
    field(t("range.from"), from), field(t("range.to"), to), submitButton(t("range.apply")),
    preset(7, "range.last7"), preset(30, "range.last30"), preset(90, "range.last90"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!from.value || !to.value || from.value > to.value) {
      to.setCustomValidity(t("range.wrong"));
      to.reportValidity();
      return;
    }
    to.setCustomValidity("");
    go({ from: from.value, to: to.value });
  });
  return form;
}
