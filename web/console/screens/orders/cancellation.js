// A shopper's open request to cancel the order, on the order page: what they said and when,
// with Approve (the order is cancelled and what was paid refunded, as a cancel from the
// console does) and Decline (with the reason the shopper is told).

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { addMessages } from "../../messages.js";
import { button, confirmDialog, panel, toast } from "../../ui/page.js";
import { dateTime } from "../../ui/format.js";

/** What the order page reads of the order's cancellation request. */
export const CANCELLATION_FIELDS = "cancellationRequest { id status reason declineReason createdAt decidedAt }";

const APPROVE = `
mutation ConsoleApproveCancellation($input: ApproveCancellationRequestInput!) {
  approveCancellationRequest(input: $input) {
    cancellationRequest { id status } order { id status } errors { field code message }
  }
}`;
const DECLINE = `
mutation ConsoleDeclineCancellation($input: DeclineCancellationRequestInput!) {
  declineCancellationRequest(input: $input) {
    cancellationRequest { id status } errors { field code message }
  }
}`;

addMessages({
  en: {
    "cancellation.title": "The customer asks to cancel",
    "cancellation.asked": "Asked {date}",
    "cancellation.noReason": "No reason given.",
    "cancellation.approve": "Approve and cancel the order",
    "cancellation.approveText": "The order is cancelled, its stock released and what was paid refunded.",
    "cancellation.approved": "The order is cancelled.",
    "cancellation.decline": "Decline",
    "cancellation.declineReason": "Reason told to the customer",
    "cancellation.declined": "The request is declined; the customer is told why.",
  },
  zh: {
    "cancellation.title": "顾客申请取消订单",
    "cancellation.asked": "申请于 {date}",
    "cancellation.noReason": "未填写原因。",
    "cancellation.approve": "同意并取消订单",
    "cancellation.approveText": "订单将被取消，库存释放，已付款项退回。",
    "cancellation.approved": "订单已取消。",
    "cancellation.decline": "拒绝",
    "cancellation.declineReason": "告知顾客的原因",
    "cancellation.declined": "已拒绝该申请，并已告知顾客原因。",
  },
});

/** The panel of the order's open cancellation request; null when there is none. */
export function cancellationPanel(order, reload) {
  const request = order.cancellationRequest;
  if (!request || request.status !== "REQUESTED") return null;
  const root = h("div", { class: "cancellation-request", dataset: { request: request.id } });
  const approve = async () => {
    const ok = await confirmDialog({ title: t("cancellation.approve"), text: t("cancellation.approveText"), danger: true });
    if (!ok) return;
    const payload = await mutate(root, APPROVE, { input: { requestId: request.id } });
    if (!payload) return;
    toast(t("cancellation.approved"));
    await reload();
  };
  const decline = async () => {
    const reason = h("textarea", { class: "input", name: "reason", rows: 3, maxlength: 500, required: true });
    const body = h("div", { class: "field" }, h("label", {}, t("cancellation.declineReason"), reason));
    const ok = await confirmDialog({
      title: t("cancellation.decline"),
      body,
      confirmLabel: t("cancellation.decline"),
      onConfirm: async () => !!(await mutate(body, DECLINE, { input: { requestId: request.id, reason: reason.value } })),
    });
    if (!ok) return;
    toast(t("cancellation.declined"));
    await reload();
  };
  root.append(
    h("p", { class: "muted" }, t("cancellation.asked", { date: dateTime(request.createdAt) })),
    h("p", { class: "cancellation-reason" }, request.reason || t("cancellation.noReason")),
    h("div", { class: "form-actions" },
      button(t("cancellation.approve"), approve, { kind: "danger" }),
      button(t("cancellation.decline"), decline, { kind: "secondary" })));
  return panel(t("cancellation.title"), root);
}
