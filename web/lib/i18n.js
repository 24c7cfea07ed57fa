// Messages and locale formatting: the page's language, messages looked up in the tables the
// app registers (falling back to English, then to the key), plurals, names of languages and
// countries, and numbers and dates formatted for the page's language.

/** The language the page is shown in; set with `setLocale`. */
export let uiLocale = "en";
let tables = { en: {} };

/** The app's messages, `{en: {key: text}, de: {...}, ...}`; English is the fallback. */
export function useMessages(messages) {
  tables = messages;
}

export function setLocale(code) {
  uiLocale = code;
}

/** Whether `key` has an English message (every message has one). */
export const hasMessage = (key) => key in tables.en;

/** The message `key` in the page's language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const table = tables[uiLocale] || tables.en;
  let text = key in table ? table[key] : tables.en[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

/** The message `key.one` or `key.other` for `n`, with `{n}` formatted. */
export function plural(key, n) {
  const form = new Intl.PluralRules(uiLocale).select(n) === "one" ? "one" : "other";
  return t(`${key}.${form}`, { n: n.toLocaleString(uiLocale) });
}

export function languageName(code, inLocale = uiLocale) {
  try {
    return new Intl.DisplayNames([inLocale], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

export function countryName(code) {
  try {
    return new Intl.DisplayNames([uiLocale], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

/** The flag emoji of an ISO 3166-1 alpha-2 code: two regional indicator symbols. */
export function flag(code) {
  if (!/^[A-Z]{2}$/.test(code || "")) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

export const capitalise = (s) => (s ? s.charAt(0).toLocaleUpperCase(uiLocale) + s.slice(1) : s);

export const formatDate = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium" }).format(new Date(iso));
/** A date without a time (`2026-11-24`), shown as that day wherever the browser is. */
export const formatDay = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
export const formatDateTime = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
/** The time of day of a date or timestamp, short ("14:05"). */
export const formatTime = (when) => new Intl.DateTimeFormat(uiLocale, { timeStyle: "short" }).format(when);

/** "2 minutes", "30 seconds": a wait in words, in minutes from 90 seconds on. */
export function formatWait(seconds) {
  const minutes = seconds >= 90;
  return new Intl.NumberFormat(uiLocale, { style: "unit", unit: minutes ? "minute" : "second", unitDisplay: "long" })
    .format(minutes ? Math.ceil(seconds / 60) : seconds);
}
