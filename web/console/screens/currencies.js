// The currencies screen: the currencies shoppers may pay in (offered or not, and each one's
// price ending), the exchange rates with their source and age (stale ones marked), a rate
// set by hand, and importing the ECB's reference rates with its progress and result.

import { h } from "../../lib/dom.js";
import { field, formValues, input, note, select, submitButton } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { addMessages } from "../messages.js";
import { gql, mutate } from "../api.js";
import { age, date, day, intlLocale, number, plainAmount } from "../ui/format.js";
import { badge, button, confirmDialog, pageHead, panel, progressBar, toast } from "../ui/page.js";

addMessages({
  en: {
    "currencies.title": "Currencies",
    "currencies.offered": "Offered currencies",
    "currencies.code": "Currency",
    "currencies.rate": "Rate",
    "currencies.rate.of": "1 {base} =",
    "currencies.source": "Source",
    "currencies.source.ECB": "ECB",
    "currencies.source.MANUAL": "Set by hand",
    "currencies.source.SHOP": "Shop currency",
    "currencies.rateDate": "Rate of",
    "currencies.age": "Stored",
    "currencies.noRate": "No rate yet: prices cannot be shown in it.",
    "currencies.rounding": "Price ending",
    "currencies.rounding.NONE": "As converted",
    "currencies.rounding.WHOLE": "Whole units",
    "currencies.rounding.NINETY_NINE": "Ending in .99",
    "currencies.shop": "Shop currency",
    "currencies.disable": "Stop offering",
    "currencies.disable.confirm": "Stop offering {code}? Shoppers using it will see the shop currency; its rates are kept.",
    "currencies.enable": "Offer a currency",
    "currencies.enable.submit": "Offer",
    "currencies.enabled": "{code} is now offered.",
    "currencies.disabled": "{code} is no longer offered.",
    "currencies.roundingSaved": "Price ending of {code} saved.",
    "currencies.rates": "Exchange rates",
    "currencies.rates.hint": "The newest rate of each currency and source. A stale rate is shown to shoppers as indicative, and checkout in that currency is refused until it is renewed.",
    "currencies.rates.empty": "No exchange rates stored yet.",
    "currencies.pair": "Pair",
    "currencies.setRate": "Set a rate by hand",
    "currencies.setRate.hint": "Units of the currency for one {shop}. On the same day it wins over the ECB's rate.",
    "currencies.setRate.submit": "Set rate",
    "currencies.setRate.done": "The rate of {code} is set.",
    "currencies.import": "Import ECB rates",
    "currencies.import.hint": "Fetches the European Central Bank's reference rates now. Importing the same day twice changes nothing.",
    "currencies.import.run": "Import now",
    "currencies.import.running": "Importing rates…",
    "currencies.import.done": "{written} rates stored, for {days}.",
    "currencies.import.same": "Nothing new: the rates of {days} were already stored.",
  },
  zh: {
    "currencies.title": "币种与汇率",
    "currencies.offered": "可选币种",
    "currencies.code": "币种",
    "currencies.rate": "汇率",
    "currencies.rate.of": "1 {base} =",
    "currencies.source": "来源",
    "currencies.source.ECB": "欧洲央行",
    "currencies.source.MANUAL": "手动设置",
    "currencies.source.SHOP": "店铺币种",
    "currencies.rateDate": "汇率日期",
    "currencies.age": "更新于",
    "currencies.noRate": "暂无汇率，无法以该币种显示价格。",
    "currencies.rounding": "价格尾数",
    "currencies.rounding.NONE": "按换算结果",
    "currencies.rounding.WHOLE": "取整",
    "currencies.rounding.NINETY_NINE": "以 .99 结尾",
    "currencies.shop": "店铺币种",
    "currencies.disable": "停止提供",
    "currencies.disable.confirm": "确定停止提供 {code} 吗？使用该币种的顾客将看到店铺币种价格，汇率记录会保留。",
    "currencies.enable": "添加币种",
    "currencies.enable.submit": "添加",
    "currencies.enabled": "已开始提供 {code}。",
    "currencies.disabled": "已停止提供 {code}。",
    "currencies.roundingSaved": "{code} 的价格尾数已保存。",
    "currencies.rates": "汇率",
    "currencies.rates.hint": "每个币种、每个来源的最新汇率。过期汇率下，顾客看到的价格仅供参考，该币种无法结账，直到汇率更新。",
    "currencies.rates.empty": "还没有汇率记录。",
    "currencies.pair": "货币对",
    "currencies.setRate": "手动设置汇率",
    "currencies.setRate.hint": "1 {shop} 可兑换的该币种数额。同一天内，手动汇率优先于欧洲央行汇率。",
    "currencies.setRate.submit": "设置汇率",
    "currencies.setRate.done": "{code} 的汇率已设置。",
    "currencies.import": "导入欧洲央行汇率",
    "currencies.import.hint": "立即获取欧洲央行的参考汇率。同一天重复导入不会有任何变化。",
    "currencies.import.run": "立即导入",
    "currencies.import.running": "正在导入汇率…",
    "currencies.import.done": "已保存 {written} 条汇率（{days}）。",
    "currencies.import.same": "没有新汇率：{days} 的汇率已保存过。",
  },
});

const ERRORS = "errors { field code message }";
const CURRENCY_FIELDS = "code name symbol rounding isShopCurrency exchangeRate { rate source rateDate stale }";
const CURRENCIES = `query CurrencySettings {
  currencies { ${CURRENCY_FIELDS} }
  exchangeRates { base quote rate source rateDate stale createdAt }
}`;
const ENABLE = `mutation EnableCurrency($input: EnableCurrencyInput!) { enableCurrency(input: $input) { currency { code } ${ERRORS} } }`;
const DISABLE = `mutation DisableCurrency($input: DisableCurrencyInput!) { disableCurrency(input: $input) { currency { code } ${ERRORS} } }`;
const ROUNDING = `mutation UpdateCurrencyRounding($input: UpdateCurrencyRoundingInput!) { updateCurrencyRounding(input: $input) { currency { code rounding } ${ERRORS} } }`;
const SET_RATE = `mutation SetExchangeRate($input: SetExchangeRateInput!) { setExchangeRate(input: $input) { exchangeRate { quote rate } ${ERRORS} } }`;
const IMPORT = `mutation ImportExchangeRates { importExchangeRates { dates written ${ERRORS} } }`;

const ROUNDINGS = ["NONE", "WHOLE", "NINETY_NINE"];
const roundingOptions = () => ROUNDINGS.map((r) => [r, t(`currencies.rounding.${r}`)]);

/** Every ISO 4217 code the browser knows, for choosing one not offered yet. */
function knownCodes() {
  try {
    return Intl.supportedValuesOf("currency");
  } catch {
    return ["AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "HKD", "JPY", "KRW", "SGD", "USD"];
  }
}

function currencyName(code) {
  try {
    return new Intl.DisplayNames([intlLocale()], { type: "currency" }).of(code) || code;
  } catch {
    return code;
  }
}

export async function show(view, ctx) {
  const data = await gql(CURRENCIES);
  if (!ctx.current()) return;
  const redraw = () => show(view, ctx);
  const shop = data.currencies.find((c) => c.isShopCurrency)?.code || "";
  view.replaceChildren(
    pageHead(t("currencies.title")),
    offeredPanel(data.currencies, redraw),
    h("div", { class: "columns" }, setRatePanel(data.currencies, shop, redraw), importPanel(redraw)),
    ratesPanel(data.exchangeRates));
}

const sourceLabel = (source) => t(`currencies.source.${source}`);

function offeredPanel(currencies, redraw) {
  const root = h("div");
  const rows = currencies.map((c) => {
    const quote = c.exchangeRate;
    const rounding = c.isShopCurrency ? h("span", { class: "muted" }, t("currencies.rounding.NONE"))
      : select("rounding", roundingOptions(), c.rounding, { "aria-label": `${t("currencies.rounding")} ${c.code}` });
    if (!c.isShopCurrency) rounding.addEventListener("change", async () => {
      const done = await mutate(root, ROUNDING, { input: { code: c.code, rounding: rounding.value } });
      if (done) toast(t("currencies.roundingSaved", { code: c.code }));
      else rounding.value = c.rounding;
    });
    return h("tr", { dataset: { currency: c.code } },
      h("td", {}, h("strong", {}, c.code), " ", h("span", { class: "muted" }, c.name)),
      h("td", { class: "num" }, quote ? plainAmount(quote.rate, 10) : "—"),
      h("td", {}, quote ? sourceLabel(quote.source) : h("span", { class: "state-error" }, t("currencies.noRate"))),
      h("td", {}, quote?.rateDate ? day(quote.rateDate) : "—", " ", quote?.stale ? badge("STALE") : null),
      h("td", {}, rounding),
      h("td", { class: "num" }, c.isShopCurrency ? badge("SHOP", { label: t("currencies.shop"), tone: "info" })
        : button(t("currencies.disable"), async () => {
          if (!(await confirmDialog({ text: t("currencies.disable.confirm", { code: c.code }), danger: true }))) return;
          if (await mutate(root, DISABLE, { input: { code: c.code } })) {
            toast(t("currencies.disabled", { code: c.code }));
            redraw();
          }
        }, { kind: "quiet" })));
  });
  root.append(h("div", { class: "table-wrap" }, h("table", { class: "data" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("currencies.code")),
      h("th", { scope: "col", class: "num" }, t("currencies.rate")),
      h("th", { scope: "col" }, t("currencies.source")),
      h("th", { scope: "col" }, t("currencies.rateDate")),
      h("th", { scope: "col" }, t("currencies.rounding")),
      h("th", {}))),
    h("tbody", {}, rows))));
  const offered = new Set(currencies.map((c) => c.code));
  const choices = knownCodes().filter((code) => !offered.has(code)).map((code) => [code, `${code} · ${currencyName(code)}`]);
  const form = h("form", { class: "form enable-form", "aria-label": t("currencies.enable") },
    field(t("currencies.code"), select("code", choices, "")),
    field(t("currencies.rounding"), select("rounding", roundingOptions(), "NONE")),
    h("div", { class: "form-actions" }, submitButton(t("currencies.enable.submit"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (await mutate(form, ENABLE, { input: { code: v.code, rounding: v.rounding } })) {
      toast(t("currencies.enabled", { code: v.code }));
      redraw();
    }
  });
  root.append(h("h3", { class: "sub-title" }, t("currencies.enable")), form);
  return panel(t("currencies.offered"), root, { attrs: { id: "currencies-offered" } });
}

function setRatePanel(currencies, shop, redraw) {
  const others = currencies.filter((c) => !c.isShopCurrency).map((c) => [c.code, `${c.code} · ${c.name}`]);
  const offered = new Set(currencies.map((c) => c.code));
  const rest = knownCodes().filter((code) => !offered.has(code)).map((code) => [code, `${code} · ${currencyName(code)}`]);
  const form = h("form", { class: "form", "data-edit": "", "aria-label": t("currencies.setRate") },
    field(t("currencies.code"), select("currency", [...others, ...rest], others[0]?.[0] || "")),
    field(t("currencies.rate"), input({ name: "rate", inputmode: "decimal", required: true, maxlength: 30, autocomplete: "off" }), { hint: t("currencies.setRate.hint", { shop }) }),
    h("div", { class: "form-actions" }, submitButton(t("currencies.setRate.submit"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (await mutate(form, SET_RATE, { input: { currency: v.currency, rate: v.rate } })) {
      toast(t("currencies.setRate.done", { code: v.currency }));
      redraw();
    }
  });
  return panel(t("currencies.setRate"), form, { attrs: { id: "currencies-set-rate" } });
}

function importPanel(redraw) {
  const bar = progressBar(t("currencies.import.running"));
  bar.hidden = true;
  const result = h("div", { "aria-live": "polite" });
  const root = h("div", {}, h("p", { class: "muted" }, t("currencies.import.hint")), bar, result);
  const run = button(t("currencies.import.run"), async () => {
    result.replaceChildren();
    bar.hidden = false;
    bar.set(0.15);
    // The API answers in one call: the bar creeps while it is on its way.
    const creep = setInterval(() => bar.set(Math.min(0.9, Number(bar.getAttribute("aria-valuenow")) / 100 + 0.1)), 400);
    const payload = await mutate(root, IMPORT);
    clearInterval(creep);
    bar.set(1);
    if (!payload) return;
    const days = payload.dates.map(day).join(", ") || "—";
    const text = payload.written ? t("currencies.import.done", { written: number(payload.written), days }) : t("currencies.import.same", { days });
    toast(text);
    if (payload.written) redraw();
    else note(root, text);
  });
  root.append(h("div", { class: "form-actions" }, run));
  return panel(t("currencies.import"), root, { attrs: { id: "currencies-import" } });
}

function ratesPanel(rates) {
  const body = rates.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("currencies.pair")),
        h("th", { scope: "col", class: "num" }, t("currencies.rate")),
        h("th", { scope: "col" }, t("currencies.source")),
        h("th", { scope: "col" }, t("currencies.rateDate")),
        h("th", { scope: "col" }, t("currencies.age")))),
      h("tbody", {}, rates.map((r) => h("tr", { dataset: { quote: r.quote, source: r.source } },
        h("td", {}, `${t("currencies.rate.of", { base: r.base })} ${r.quote}`),
        h("td", { class: "num" }, plainAmount(r.rate, 10)),
        h("td", {}, sourceLabel(r.source)),
        h("td", {}, day(r.rateDate), " ", r.stale ? badge("STALE") : null),
        h("td", { class: "rate-age", title: date(r.createdAt) }, age(r.createdAt)))))))
    : h("p", { class: "empty" }, t("currencies.rates.empty"));
  return panel(t("currencies.rates"), [h("p", { class: "muted" }, t("currencies.rates.hint")), body], { attrs: { id: "currencies-rates" } });
}
