// The payments setup screen: each payment method with the gateway that takes it, on or off,
// the currencies and shipping countries it is offered for, the order totals it takes, and its
// place in the checkout's list. A method no enabled gateway takes is kept, marked unavailable.

import { h } from "../../lib/dom.js";
import { field, formValues, input, runMutation } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { addMessages } from "../messages.js";
import { gql } from "../api.js";
import { badge, button, pageHead, panel, toast } from "../ui/page.js";

addMessages({
  en: {
    "paymentMethods.title": "Payments",
    "paymentMethods.hint": "Checkout offers the methods that are on and whose rules the order meets, in this order (shoppers in Greater China or checking out in Chinese see WeChat Pay and Alipay first, others cards). A shopper sees why a method that is on is missing; a method turned off is not mentioned.",
    "paymentMethods.gateway": "Through {gateway}",
    "paymentMethods.noGateway": "No gateway takes it",
    "paymentMethods.unavailable": "Unavailable",
    "paymentMethods.enabled": "Offer this method",
    "paymentMethods.currencies": "Currencies",
    "paymentMethods.currencies.hint": "ISO codes separated by commas; empty: every currency its gateway takes ({codes}).",
    "paymentMethods.countries": "Shipping countries",
    "paymentMethods.countries.hint": "ISO codes such as CN, HK, DE; empty: every country.",
    "paymentMethods.minAmount": "Minimum order total ({currency})",
    "paymentMethods.maxAmount": "Maximum order total ({currency})",
    "paymentMethods.save": "Save",
    "paymentMethods.saved": "{method} saved.",
    "paymentMethods.up": "Move {method} up",
    "paymentMethods.down": "Move {method} down",
    "paymentMethods.moved": "Order saved.",
  },
  zh: {
    "paymentMethods.title": "支付方式",
    "paymentMethods.hint": "结账时按此顺序提供已开启且订单符合其规则的支付方式（大中华区或使用中文结账的顾客优先看到微信支付和支付宝，其他顾客优先看到银行卡）。已开启但不可用的方式会向顾客说明原因；已关闭的方式不会提及。",
    "paymentMethods.gateway": "通过 {gateway}",
    "paymentMethods.noGateway": "没有支付网关支持",
    "paymentMethods.unavailable": "不可用",
    "paymentMethods.enabled": "提供此支付方式",
    "paymentMethods.currencies": "币种",
    "paymentMethods.currencies.hint": "ISO 代码，用逗号分隔；留空：网关支持的所有币种（{codes}）。",
    "paymentMethods.countries": "配送国家或地区",
    "paymentMethods.countries.hint": "ISO 代码，如 CN、HK、DE；留空：所有国家或地区。",
    "paymentMethods.minAmount": "最低订单金额（{currency}）",
    "paymentMethods.maxAmount": "最高订单金额（{currency}）",
    "paymentMethods.save": "保存",
    "paymentMethods.saved": "{method} 已保存。",
    "paymentMethods.up": "上移 {method}",
    "paymentMethods.down": "下移 {method}",
    "paymentMethods.moved": "顺序已保存。",
  },
});

const SETTING_FIELDS = "method displayName gateway enabled currencies countries minAmount { amount currency } maxAmount { amount currency } position configured gatewayCurrencies";
const SETTINGS = `query PaymentMethodSettings { paymentMethodSettings { ${SETTING_FIELDS} } shopCurrency: currencies { code isShopCurrency } }`;
const UPDATE = `mutation UpdatePaymentMethodSetting($input: UpdatePaymentMethodSettingInput!) { updatePaymentMethodSetting(input: $input) { setting { ${SETTING_FIELDS} } errors { field code message } } }`;

const codes = (text) => text.split(/[\s,]+/).map((c) => c.trim()).filter(Boolean);

/**
 * Saves a change; the payload's errors next to the field they name (an error about the
 * third code of a list lands at the list). Resolves to the payload, or null.
 */
function save(root, input) {
  return runMutation(root, async () => {
    const data = await gql(UPDATE, { input });
    for (const e of data.updatePaymentMethodSetting.errors) {
      while (e.field && /^\d+$/.test(e.field.at(-1))) e.field = e.field.slice(0, -1);
    }
    return data;
  });
}

export async function show(view, ctx) {
  const data = await gql(SETTINGS);
  if (!ctx.current()) return;
  const shop = data.shopCurrency.find((c) => c.isShopCurrency)?.code || "";
  const settings = data.paymentMethodSettings;
  const redraw = () => show(view, ctx);
  view.replaceChildren(
    pageHead(t("paymentMethods.title")),
    h("p", { class: "muted" }, t("paymentMethods.hint")),
    ...settings.map((s, i) => methodPanel(s, i, settings, shop, redraw)));
}

/**
 * Saves the shown order of the methods the merchant has not set yet: a method without
 * settings is listed after those with, so the first save of one would otherwise move it.
 */
async function pinOrder(settings, root) {
  for (const [position, s] of settings.entries()) {
    if (!s.configured && !(await save(root, { method: s.method, position }))) return false;
  }
  return true;
}

async function move(settings, from, to, root, redraw) {
  const order = settings.map((s) => s.method);
  [order[from], order[to]] = [order[to], order[from]];
  for (const [position, method] of order.entries()) {
    const was = settings.find((s) => s.method === method);
    if (was.configured && was.position === position) continue;
    if (!(await save(root, { method, position }))) return;
  }
  await redraw();
  toast(t("paymentMethods.moved"));
}

function methodPanel(s, index, settings, shop, redraw) {
  const name = s.displayName;
  const form = h("form", { class: "form", "aria-label": name, dataset: { method: s.method } },
    field(t("paymentMethods.enabled"), h("input", { type: "checkbox", name: "enabled", checked: s.enabled })),
    field(t("paymentMethods.currencies"), input({ name: "currencies", value: s.currencies.join(", ") }), {
      hint: t("paymentMethods.currencies.hint", { codes: s.gatewayCurrencies.length > 12 ? `${s.gatewayCurrencies.length}` : s.gatewayCurrencies.join(", ") || "—" }),
    }),
    field(t("paymentMethods.countries"), input({ name: "countries", value: s.countries.join(", ") }), {
      hint: t("paymentMethods.countries.hint"),
    }),
    field(t("paymentMethods.minAmount", { currency: shop }), input({ name: "minAmount", inputmode: "decimal", value: s.minAmount?.amount || "" }), { optional: true }),
    field(t("paymentMethods.maxAmount", { currency: shop }), input({ name: "maxAmount", inputmode: "decimal", value: s.maxAmount?.amount || "" }), { optional: true }),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "button" }, t("paymentMethods.save")),
      index > 0 ? button("↑", () => move(settings, index, index - 1, form, redraw), { kind: "quiet", attrs: { "aria-label": t("paymentMethods.up", { method: name }) } }) : null,
      index < settings.length - 1 ? button("↓", () => move(settings, index, index + 1, form, redraw), { kind: "quiet", attrs: { "aria-label": t("paymentMethods.down", { method: name }) } }) : null));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (!(await pinOrder(settings, form))) return;
    const payload = await save(form, {
      method: s.method,
      enabled: Boolean(v.enabled),
      currencies: codes(v.currencies || ""),
      countries: codes(v.countries || ""),
      minAmount: v.minAmount || null,
      maxAmount: v.maxAmount || null,
    });
    if (payload) {
      await redraw();
      toast(t("paymentMethods.saved", { method: name }));
    }
  });
  const head = h("p", {},
    s.gateway ? t("paymentMethods.gateway", { gateway: s.gateway }) : h("span", { class: "muted" }, t("paymentMethods.noGateway")),
    " ", s.gateway ? null : badge("UNAVAILABLE", { label: t("paymentMethods.unavailable"), tone: "warning" }));
  return panel(name, h("div", {}, head, form), { attrs: { id: `payment-method-${s.method}` } });
}
