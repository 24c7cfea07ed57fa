// The outcome panel of one return: what it gives back per line in both currencies, the
// restocking fee and return shipping (each waivable), missing units refunded if chosen, the
// split between a refund to the original payment, store credit and an exchange, "Carry out",
// and the result once done. Any screen that shows a return mounts it with `outcomePanel`.

import { h, newId } from "../../../lib/dom.js";
import { field, input, runMutation } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { gql } from "../../api.js";
import { addMessages } from "../../messages.js";
import { badge, button, state, toast } from "../../ui/page.js";
import { money, number } from "../../ui/format.js";

const MONEY = "amount currency";
const PAIR = `amount { ${MONEY} } inShopCurrency { ${MONEY} }`;

export const RETURN_OUTCOME_PREVIEW = `
query ConsoleReturnOutcomePreview($id: ID!, $waiveFee: Boolean!, $waiveShipping: Boolean!, $missing: Boolean!) {
  returnOutcomePreview(returnId: $id, waiveRestockingFee: $waiveFee, waiveReturnShipping: $waiveShipping, refundMissing: $missing) {
    currency shopCurrency capped storeCreditAllowed notes
    lines { returnLineId name variantName sku quantity restocked needsWork writtenOff missing counted expected capped
            restockingFeeBps paid { ${PAIR} } discount { ${PAIR} } restockingFee { ${PAIR} } customs { ${PAIR} }
            refundable { ${PAIR} } }
    restockingFee { ${PAIR} } returnShipping { ${PAIR} } customs { ${PAIR} } total { ${PAIR} }
    refundableToPayment { ${MONEY} } refundedAlready { ${MONEY} }
    exchange { cost { ${PAIR} } allowance { ${PAIR} } differenceRefunded { ${PAIR} } differenceOwed { ${PAIR} } problem
               lines { sku name quantity unitPrice { ${PAIR} } } }
  }
}`;

export const CARRY_OUT_RETURN_OUTCOME = `
mutation ConsoleCarryOutReturnOutcome($input: CarryOutReturnOutcomeInput!) {
  carryOutReturnOutcome(input: $input) {
    outcome { status refund { ${MONEY} } storeCredit { ${MONEY} } fees { ${MONEY} } exchangeOrderNumber failureMessage }
    return { id status version }
    errors { field code message }
  }
}`;

addMessages({
  en: {
    "outcome.title": "Outcome",
    "outcome.line": "Line",
    "outcome.units": "Units",
    "outcome.paid": "Paid",
    "outcome.discount": "Discounts",
    "outcome.fee": "Restocking fee",
    "outcome.customs": "Duties and taxes",
    "outcome.refundable": "Refundable",
    "outcome.shipping": "Return shipping",
    "outcome.total": "Gives back",
    "outcome.counted": "{counted} of {quantity}",
    "outcome.expected": "not inspected yet",
    "outcome.capped": "Lowered to what is left to give back.",
    "outcome.waiveFee": "Waive the restocking fee",
    "outcome.waiveShipping": "Waive return shipping",
    "outcome.refundMissing": "Refund missing units",
    "outcome.refund": "Refund to the payment ({currency})",
    "outcome.refundHint": "At most {max} can go back to the payment.",
    "outcome.credit": "Store credit ({currency})",
    "outcome.noCredit": "A guest order cannot receive store credit.",
    "outcome.exchange": "Send the exchange",
    "outcome.exchangeCost": "Replacement at today's price: {cost}; worth of the returned units: {allowance}.",
    "outcome.exchangeOwed": "The shopper pays the difference: {owed}.",
    "outcome.exchangeRefunded": "The difference is refunded: {refunded}.",
    "outcome.carryOut": "Carry out",
    "outcome.done": "Outcome carried out.",
    "outcome.result": "Refunded {refund} · store credit {credit} · fees kept {fees}",
    "outcome.exchangeOrder": "Exchange order {number}",
    "outcome.failed": "Not carried out: {message}",
    "outcome.notReady": "The outcome is carried out once the return is inspected (or approved with the items kept).",
  },
  zh: {
    "outcome.title": "处理结果",
    "outcome.line": "商品",
    "outcome.units": "件数",
    "outcome.paid": "已付",
    "outcome.discount": "折扣",
    "outcome.fee": "重新上架费",
    "outcome.customs": "关税和税费",
    "outcome.refundable": "可退金额",
    "outcome.shipping": "退货运费",
    "outcome.total": "共退还",
    "outcome.counted": "{quantity} 件中的 {counted} 件",
    "outcome.expected": "尚未检验",
    "outcome.capped": "已降至剩余可退金额。",
    "outcome.waiveFee": "免收重新上架费",
    "outcome.waiveShipping": "免收退货运费",
    "outcome.refundMissing": "退还缺失的商品",
    "outcome.refund": "退回原支付方式（{currency}）",
    "outcome.refundHint": "最多可退回支付方式 {max}。",
    "outcome.credit": "商店余额（{currency}）",
    "outcome.noCredit": "游客订单不能获得商店余额。",
    "outcome.exchange": "发出换货",
    "outcome.exchangeCost": "按今日价格的替换商品：{cost}；退回商品价值：{allowance}。",
    "outcome.exchangeOwed": "顾客需补差价：{owed}。",
    "outcome.exchangeRefunded": "差价将退还：{refunded}。",
    "outcome.carryOut": "执行",
    "outcome.done": "已执行处理结果。",
    "outcome.result": "已退款 {refund} · 商店余额 {credit} · 扣除费用 {fees}",
    "outcome.exchangeOrder": "换货订单 {number}",
    "outcome.failed": "未执行：{message}",
    "outcome.notReady": "退货检验后（或批准保留商品后）才能执行处理结果。",
  },
});

/** Both currencies of an amount in one cell: the order's, then the shop's under it. */
function both(pair, two) {
  return two ? [money(pair.amount), h("div", { class: "muted" }, money(pair.inShopCurrency))] : money(pair.amount);
}

const cell = (content, num = true) => h("td", { class: num ? "num" : null }, content);

function previewTable(p) {
  const two = p.currency !== p.shopCurrency;
  const head = [t("outcome.line"), t("outcome.units"), t("outcome.paid"), t("outcome.discount"), t("outcome.fee"),
    t("outcome.customs"), t("outcome.refundable")];
  const rows = p.lines.map((l) => h("tr", { dataset: { sku: l.sku } },
    cell([h("span", { class: "mono" }, l.sku), " ", l.name, l.expected ? h("div", { class: "muted" }, t("outcome.expected")) : null], false),
    cell(t("outcome.counted", { counted: number(l.counted), quantity: number(l.quantity) })),
    cell(both(l.paid, two)), cell(both(l.discount, two)), cell(both(l.restockingFee, two)),
    cell(both(l.customs, two)), cell([both(l.refundable, two), l.capped ? h("div", { class: "muted" }, t("outcome.capped")) : null])));
  const foot = [
    [t("outcome.shipping"), p.returnShipping],
    [t("outcome.total"), p.total],
  ].map(([label, pair]) => h("tr", {}, h("th", { scope: "row", colspan: 6 }, label), cell(both(pair, two))));
  return h("div", { class: "table-wrap" }, h("table", { class: "data return-outcome-lines" },
    h("thead", {}, h("tr", {}, head.map((label, i) => h("th", { scope: "col", class: i ? "num" : null }, label)))),
    h("tbody", {}, rows), h("tfoot", {}, foot)));
}

const check = (name, label, checked, onchange) => {
  const id = newId("outcome");
  return h("label", { class: "field field-check", for: id },
    h("input", { type: "checkbox", id, name, checked, onchange }), label);
};

const amountField = (name, label, value, hint, disabled = false) =>
  field(label, input({ name, inputmode: "decimal", value, disabled, autocomplete: "off" }), { hint });

function result(outcome) {
  return h("div", { class: "return-outcome-result", dataset: { status: outcome.status } },
    badge(outcome.status), " ",
    t("outcome.result", { refund: money(outcome.refund), credit: money(outcome.storeCredit), fees: money(outcome.fees) }),
    outcome.exchangeOrderNumber ? h("div", {}, t("outcome.exchangeOrder", { number: outcome.exchangeOrderNumber })) : null,
    outcome.status === "FAILED" && outcome.failureMessage ? h("div", { class: "state-error" }, t("outcome.failed", { message: outcome.failureMessage })) : null);
}

/**
 * Renders the outcome panel of `ret` ({id, number, status, version, keepItems, outcome}) into
 * `container`. `onDone()` runs once the outcome is carried out (the host reads it again).
 */
export async function outcomePanel(container, ret, { onDone = null } = {}) {
  const box = h("div", { class: "return-outcome", dataset: { return: ret.number } });
  container.replaceChildren(box);
  if (ret.outcome && ret.outcome.status === "DONE") {
    box.replaceChildren(result(ret.outcome));
    return;
  }
  const ready = ret.status === "INSPECTED" || (ret.status === "APPROVED" && ret.keepItems);
  // The split starts as the shopper asked (`resolution`): an exchange ticked, or the whole
  // amount as store credit; staff may change it before carrying it out.
  const options = { waiveFee: false, waiveShipping: false, missing: false, exchange: null };
  // One key per panel: a second click, or a retry after a network error, does nothing twice.
  const key = globalThis.crypto?.randomUUID?.() || `${ret.id}-${Date.now()}-${Math.random()}`;

  async function draw() {
    box.replaceChildren(state(t("loading")));
    let p;
    try {
      const { waiveFee, waiveShipping, missing } = options;
      p = (await gql(RETURN_OUTCOME_PREVIEW, { id: ret.id, waiveFee, waiveShipping, missing })).returnOutcomePreview;
    } catch (err) {
      box.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
      return;
    }
    const form = h("form", { class: "form return-outcome-form" });
    const redraw = (name) => (e) => { options[name] = e.target.checked; draw(); };
    const total = p.total.amount;
    const swap = p.exchange;
    if (options.exchange === null) options.exchange = !!swap && !swap.problem && ret.resolution === "EXCHANGE";
    const exchanging = !!swap && options.exchange;
    const asCredit = !exchanging && p.storeCreditAllowed && ret.resolution === "STORE_CREDIT";
    // An exchange leaves only the difference to refund; otherwise the whole amount, as far as
    // the payments can take it back.
    const left = exchanging ? Number(swap.differenceRefunded.amount.amount) : asCredit ? 0 : Number(total.amount);
    const toPayment = Math.min(left, Number(p.refundableToPayment.amount));
    const exchangeNote = swap ? h("p", { class: "muted" },
      t("outcome.exchangeCost", { cost: money(swap.cost.amount), allowance: money(swap.allowance.amount) }), " ",
      Number(swap.differenceOwed.amount.amount)
        ? t("outcome.exchangeOwed", { owed: money(swap.differenceOwed.amount) })
        : t("outcome.exchangeRefunded", { refunded: money(swap.differenceRefunded.amount) }),
      swap.problem ? h("span", { class: "state-error" }, ` ${swap.problem}`) : null) : null;
    form.append(
      h("div", { class: "return-outcome-options" },
        check("waiveFee", t("outcome.waiveFee"), options.waiveFee, redraw("waiveFee")),
        check("waiveShipping", t("outcome.waiveShipping"), options.waiveShipping, redraw("waiveShipping")),
        check("missing", t("outcome.refundMissing"), options.missing, redraw("missing"))),
      amountField("refund", t("outcome.refund", { currency: p.currency }), String(toPayment),
        t("outcome.refundHint", { max: money(p.refundableToPayment) })),
      amountField("storeCredit", t("outcome.credit", { currency: p.currency }), asCredit ? String(total.amount) : "0",
        p.storeCreditAllowed ? null : t("outcome.noCredit"), !p.storeCreditAllowed),
      swap ? check("exchange", t("outcome.exchange"), exchanging, redraw("exchange")) : null,
      exchangeNote,
      ready ? h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("outcome.carryOut")))
        : state(t("outcome.notReady")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const els = form.elements;
      const values = {
        returnId: ret.id, version: ret.version, idempotencyKey: key,
        waiveRestockingFee: options.waiveFee, waiveReturnShipping: options.waiveShipping, refundMissing: options.missing,
        exchange: !!els.exchange?.checked,
        storeCredit: els.storeCredit.value.trim() || "0",
      };
      const refund = els.refund.value.trim();
      if (refund) values.refund = refund;
      const payload = await runMutation(form, () => gql(CARRY_OUT_RETURN_OUTCOME, { input: values }));
      if (!payload) return;
      toast(t("outcome.done"));
      box.replaceChildren(result(payload.outcome));
      if (onDone) await onDone(payload);
    });
    box.replaceChildren(previewTable(p), ret.outcome ? result(ret.outcome) : null, form);
  }

  await draw();
}

/**
 * A button that opens the panel of `ret` below itself (the order page lists several returns);
 * an outcome already carried out shows as its result, so it stays in sight when the page reads
 * the order again after "Carry out".
 */
export function outcomeToggle(ret, onDone) {
  const holder = h("div", { class: "return-outcome-holder" });
  if (ret.outcome && ret.outcome.status === "DONE") {
    holder.append(h("div", { class: "return-outcome", dataset: { return: ret.number } }, result(ret.outcome)));
    return holder;
  }
  const open = button(t("outcome.title"), async () => {
    open.remove();
    await outcomePanel(holder, ret, { onDone });
  }, { kind: "secondary button-small" });
  return [open, holder];
}
