// Customer service setup: the service hours (a time zone, open spans per weekday, closed days)
// and the targets per priority for the first answer and for resolution, counted in those
// hours. Support staff read them; staff with the settings permission change them.

import { fill, h } from "../../lib/dom.js";
import { field, input } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { can, gql, mutate } from "../api.js";
import { pageHead, panel, state, toast } from "../ui/page.js";
import { addMessages } from "../messages.js";

const ERRORS = "errors { field code message }";
const SETTINGS = "timeZone hours { weekday opens closes } holidays { date name } targets { priority firstResponseMinutes resolutionMinutes }";
const READ = `query ConsoleSupportSettings { supportSettings { ${SETTINGS} } }`;
const SET_SCHEDULE = `mutation ConsoleSetSupportSchedule($input: SetSupportScheduleInput!) {
  setSupportSchedule(input: $input) { settings { ${SETTINGS} } ${ERRORS} } }`;
const SET_TARGETS = `mutation ConsoleSetServiceLevelTargets($input: SetServiceLevelTargetsInput!) {
  setServiceLevelTargets(input: $input) { settings { ${SETTINGS} } ${ERRORS} } }`;

const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const PRIORITIES = ["URGENT", "HIGH", "NORMAL", "LOW"];
const SPAN = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/;

addMessages({
  en: {
    "supportSetup.title": "Customer service setup",
    "supportSetup.hours": "Service hours",
    "supportSetup.timeZone": "Time zone",
    "supportSetup.spansHint": "Open spans such as 09:00-12:00, 13:00-18:00; empty: closed all day. No day at all: open around the clock.",
    "supportSetup.holidays": "Closed days",
    "supportSetup.holidaysHint": "One a line: 2027-01-01 New Year",
    "supportSetup.saveHours": "Save hours",
    "supportSetup.targets": "Service-level targets",
    "supportSetup.targetsHint": "In business minutes; leave a priority empty for no target.",
    "supportSetup.firstResponse": "{priority}: first answer (minutes)",
    "supportSetup.resolution": "{priority}: resolution (minutes)",
    "supportSetup.saveTargets": "Save targets",
    "supportSetup.saved": "Saved.",
    "supportSetup.badSpan": "Write spans as 09:00-12:00, separated by commas.",
    "supportSetup.badHoliday": "Write each closed day as 2027-01-01 and a name.",
    "supportSetup.readOnly": "Only staff with the settings permission change these.",
    "weekday.MONDAY": "Monday", "weekday.TUESDAY": "Tuesday", "weekday.WEDNESDAY": "Wednesday", "weekday.THURSDAY": "Thursday",
    "weekday.FRIDAY": "Friday", "weekday.SATURDAY": "Saturday", "weekday.SUNDAY": "Sunday",
    "supportSetup.priority.URGENT": "Urgent", "supportSetup.priority.HIGH": "High", "supportSetup.priority.NORMAL": "Normal", "supportSetup.priority.LOW": "Low",
  },
  zh: {
    "supportSetup.title": "客服设置",
    "supportSetup.hours": "服务时间",
    "supportSetup.timeZone": "时区",
    "supportSetup.spansHint": "营业时段，如 09:00-12:00, 13:00-18:00；留空：全天休息。全部留空：全天候服务。",
    "supportSetup.holidays": "休息日",
    "supportSetup.holidaysHint": "每行一个：2027-01-01 元旦",
    "supportSetup.saveHours": "保存服务时间",
    "supportSetup.targets": "服务时限",
    "supportSetup.targetsHint": "按工作分钟计；留空表示该优先级无时限。",
    "supportSetup.firstResponse": "{priority}：首次回复（分钟）",
    "supportSetup.resolution": "{priority}：解决（分钟）",
    "supportSetup.saveTargets": "保存时限",
    "supportSetup.saved": "已保存。",
    "supportSetup.badSpan": "时段格式为 09:00-12:00，用逗号分隔。",
    "supportSetup.badHoliday": "每个休息日写成 2027-01-01 加名称。",
    "supportSetup.readOnly": "只有拥有设置权限的员工可以修改。",
    "weekday.MONDAY": "星期一", "weekday.TUESDAY": "星期二", "weekday.WEDNESDAY": "星期三", "weekday.THURSDAY": "星期四",
    "weekday.FRIDAY": "星期五", "weekday.SATURDAY": "星期六", "weekday.SUNDAY": "星期日",
    "supportSetup.priority.URGENT": "紧急", "supportSetup.priority.HIGH": "高", "supportSetup.priority.NORMAL": "普通", "supportSetup.priority.LOW": "低",
  },
});

/** "09:00-12:00, 13:00-18:00" for a weekday's spans. */
const spansText = (hours, day) => hours.filter((s) => s.weekday === day).map((s) => `${s.opens}-${s.closes}`).join(", ");

/** The spans of the form as the API takes them, or null when one cannot be read. */
function readSpans(form) {
  const hours = [];
  for (const day of WEEKDAYS) {
    const text = form.elements[`day-${day}`].value.trim();
    if (!text) continue;
    for (const part of text.split(",")) {
      const m = SPAN.exec(part);
      if (!m) return null;
      hours.push({ weekday: day, opens: m[1].padStart(5, "0"), closes: m[2].padStart(5, "0") });
    }
  }
  return hours;
}

function readHolidays(text) {
  const days = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\d{4}-\d{2}-\d{2})\s*(.*)$/.exec(line);
    if (!m) return null;
    days.push({ date: m[1], name: m[2] });
  }
  return days;
}

function zoneList() {
  try {
    return h("datalist", { id: "time-zones" }, Intl.supportedValuesOf("timeZone").map((z) => h("option", { value: z })));
  } catch {
    return null;
  }
}

export async function show(view, ctx) {
  let settings;
  try {
    settings = (await gql(READ)).supportSettings;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(err.message, { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const writable = can("SETTINGS");
  const hoursForm = h("form", { class: "form support-hours", novalidate: true });
  const targetsForm = h("form", { class: "form support-targets", novalidate: true });

  const draw = () => {
    fill(hoursForm,
      field(t("supportSetup.timeZone"), input({ name: "timeZone", value: settings.timeZone, list: "time-zones", maxlength: 64 })),
      zoneList(),
      h("p", { class: "muted" }, t("supportSetup.spansHint")),
      WEEKDAYS.map((day) => field(t(`weekday.${day}`), input({ name: `day-${day}`, value: spansText(settings.hours, day), maxlength: 200 }))),
      field(t("supportSetup.holidays"), h("textarea", { class: "input", name: "holidays", rows: 4 },
        settings.holidays.map((d) => `${d.date} ${d.name}`.trim()).join("\n")), { hint: t("supportSetup.holidaysHint"), optional: true }),
      writable ? h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("supportSetup.saveHours"))) : null);
    const target = Object.fromEntries(settings.targets.map((x) => [x.priority, x]));
    fill(targetsForm,
      h("p", { class: "muted" }, t("supportSetup.targetsHint")),
      PRIORITIES.map((p) => h("div", { class: "columns" },
        field(t("supportSetup.firstResponse", { priority: t(`supportSetup.priority.${p}`) }),
          input({ name: `first-${p}`, type: "number", min: 1, step: 1, inputmode: "numeric", value: target[p]?.firstResponseMinutes ?? "" })),
        field(t("supportSetup.resolution", { priority: t(`supportSetup.priority.${p}`) }),
          input({ name: `resolve-${p}`, type: "number", min: 1, step: 1, inputmode: "numeric", value: target[p]?.resolutionMinutes ?? "" })))),
      writable ? h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("supportSetup.saveTargets"))) : null);
  };

  hoursForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const hours = readSpans(hoursForm);
    const holidays = readHolidays(hoursForm.elements.holidays.value);
    if (!hours) return toast(t("supportSetup.badSpan"), { tone: "bad" });
    if (!holidays) return toast(t("supportSetup.badHoliday"), { tone: "bad" });
    const payload = await mutate(hoursForm, SET_SCHEDULE, { input: { timeZone: hoursForm.elements.timeZone.value.trim(), hours, holidays } });
    if (!payload) return;
    settings = payload.settings;
    draw();
    toast(t("supportSetup.saved"));
  });
  targetsForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const targets = PRIORITIES.filter((p) => targetsForm.elements[`first-${p}`].value || targetsForm.elements[`resolve-${p}`].value)
      .map((p) => ({ priority: p, firstResponseMinutes: Number(targetsForm.elements[`first-${p}`].value || 0),
        resolutionMinutes: Number(targetsForm.elements[`resolve-${p}`].value || 0) }));
    const payload = await mutate(targetsForm, SET_TARGETS, { input: { targets } });
    if (!payload) return;
    settings = payload.settings;
    draw();
    toast(t("supportSetup.saved"));
  });

  draw();
  fill(view, pageHead(t("supportSetup.title")),
    writable ? null : h("p", { class: "notice" }, t("supportSetup.readOnly")),
    h("div", { class: "columns" }, panel(t("supportSetup.hours"), hoursForm), panel(t("supportSetup.targets"), targetsForm)));
}
