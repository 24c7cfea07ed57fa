// Amounts, numbers, dates, ages and payment methods named for the console's language (Intl, no library).
// Amounts come from the API as `Money {amount, currency}` with `amount` a decimal string.

import { hasMessage, t, uiLocale } from "../../lib/i18n.js";

/** Locale codes as Intl wants them: "zh" is shown as Simplified Chinese. */
export const intlLocale = () => (uiLocale === "zh" ? "zh-Hans-CN" : uiLocale);

/** An amount in a currency: `amount("12.5", "EUR")` → "€12.50"; "—" when there is none. */
export function amount(value, currency) {
  if (value === null || value === undefined || value === "") return "—";
  try {
    return new Intl.NumberFormat(intlLocale(), { style: "currency", currency }).format(Number(value));
  } catch {
    return `${value} ${currency}`;
  }
}

/** A Money object (`{amount, currency}`) formatted; "—" for null. */
export const money = (m) => (m ? amount(m.amount, m.currency) : "—");

/** An amount without its currency sign, for axes and tables headed with the currency. */
export const plainAmount = (value, digits = 2) =>
  new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(Number(value));

export const number = (n) => (n === null || n === undefined ? "—" : new Intl.NumberFormat(intlLocale()).format(n));

/** A share (0.25 → "25%"). */
export const percent = (share, digits = 1) =>
  new Intl.NumberFormat(intlLocale(), { style: "percent", maximumFractionDigits: digits }).format(share);

/** A timestamp as a date ("5 Dec 2026"). */
export const date = (iso) => (iso ? new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium" }).format(new Date(iso)) : "—");

/** A timestamp as date and time ("5 Dec 2026, 14:05"). */
export const dateTime = (iso) =>
  iso ? new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)) : "—";

/** A calendar day (`2026-12-05`), shown as that day wherever the browser is. */
export const day = (iso) =>
  iso ? new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`)) : "—";

/** A short day for chart axes and narrow columns ("5 Dec", "12月5日"). */
export const shortDay = (iso) =>
  new Intl.DateTimeFormat(intlLocale(), { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

const AGE_UNITS = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** How long ago a timestamp was, in words ("3 hours ago", "3小时前"). */
export function age(iso, now = Date.now()) {
  if (!iso) return "—";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const [unit, size] = AGE_UNITS.find(([, s]) => Math.abs(seconds) >= s) || AGE_UNITS.at(-1);
  return new Intl.RelativeTimeFormat(intlLocale(), { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

/** Today in the browser's time zone, as `YYYY-MM-DD`; `offsetDays` moves it. */
export function today(offsetDays = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The browser's IANA time zone, for queries that count days. */
export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A payment method's name (`wechat_pay`: "WeChat Pay"), or its code when it has none. */
export const methodName = (m) => (m && hasMessage(`payMethod.${m}`) ? t(`payMethod.${m}`) : m || "—");
