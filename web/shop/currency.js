// The currencies prices can be shown in: the header's currency select, the currency prices
// last came back in, and the notice over prices converted at an outdated rate.

import { $, h } from "../lib/dom.js";
import { formatDay, t, uiLocale } from "../lib/i18n.js";
import { CURRENCY_KEY, chosenCurrency, gql } from "./api.js";

const CURRENCIES_QUERY = `
query Currencies {
  currencies { code name symbol isShopCurrency exchangeRate { rate rateDate stale } }
}`;
let currencies = []; // the currencies shoppers may pick that have a rate
let shownCurrency = null; // the currency the last prices came back in

export const shopCurrency = () => currencies.find((c) => c.isShopCurrency)?.code || null;

/** Asks prices in `code` from now on. */
export const chooseCurrency = (code) => localStorage.setItem(CURRENCY_KEY, code);

export async function loadCurrencies() {
  try {
    const data = await gql(CURRENCIES_QUERY, {}, uiLocale, { auth: false });
    currencies = data.currencies.filter((c) => c.exchangeRate);
    const stored = chosenCurrency();
    // A currency the shop no longer offers would make every priced query fail.
    if (stored && !currencies.some((c) => c.code === stored)) localStorage.removeItem(CURRENCY_KEY);
  } catch {
    currencies = [];
  }
  renderCurrencySelect();
}

export function renderCurrencySelect() {
  const select = $("currency-select");
  const value = chosenCurrency() || shownCurrency || shopCurrency();
  let names = null;
  try {
    names = new Intl.DisplayNames([uiLocale], { type: "currency" });
  } catch {
    /* codes alone */
  }
  select.replaceChildren(...currencies.map((c) =>
    h("option", { value: c.code, title: names?.of(c.code) || c.name, selected: c.code === value }, `${c.code} ${c.symbol !== c.code ? c.symbol : ""}`.trim())));
  select.value = value || "";
  $("currency-control").hidden = currencies.length < 2;
}

/** Notes the currency prices came back in, for the select when none is chosen. */
export function pricesShownIn(code) {
  if (!code || code === shownCurrency) return;
  shownCurrency = code;
  if (!chosenCurrency()) renderCurrencySelect();
}

/** The currencies the shop offers (the only ones prices can be shown in), as select options. */
export function currencyOptions(current) {
  const options = currencies.map((c) => [c.code, `${c.code} · ${c.name}`]);
  return current && !currencies.some((c) => c.code === current) ? [[current, current], ...options] : options;
}

/** The notice shown over prices converted at an outdated rate. */
export function staleRateNotice(rate) {
  if (!rate?.stale) return null;
  return h("p", { class: "notice notice-rate", role: "note" },
    rate.rateDate ? t("rateStale", { currency: rate.currency, date: formatDay(rate.rateDate) }) : t("rateStaleUndated", { currency: rate.currency }));
}

/** The stale-rate notice of a cart or checkout quote, from what the shop says of its currency's rate. */
export const quoteRateNotice = (quote) =>
  staleRateNotice({ ...quote.rate, stale: currencies.find((c) => c.code === quote.currency)?.exchangeRate?.stale });
