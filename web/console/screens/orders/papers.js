// A parcel's customs papers on the order page: "Customs declaration" (the CN22 or CN23 its
// value, weight and carrier call for) and "Commercial invoice", each opened as a PDF in a new
// tab through a short-lived link the API signs (`createCustomsDocumentLink`). Facts the papers
// lack (an HS code, an address) are listed under the parcel, saying what to fix.

import { h } from "../../../lib/dom.js";
import { t } from "../../../lib/i18n.js";
import { gql } from "../../api.js";
import { addMessages } from "../../messages.js";
import { button } from "../../ui/page.js";

export const CUSTOMS_DOCUMENT_LINK = `
mutation ConsoleCustomsDocumentLink($input: CreateCustomsDocumentLinkInput!) {
  createCustomsDocumentLink(input: $input) {
    link { url filename form kind expiresAt }
    errors { field code message }
  }
}`;

addMessages({
  en: {
    "papers.declaration": "Customs declaration",
    "papers.invoice": "Commercial invoice",
    "papers.problems": "These papers cannot be printed yet:",
    "papers.opened": "{form} opened in a new tab.",
    "papers.invoiceOpened": "Commercial invoice opened in a new tab.",
    "papers.failed": "The papers could not be made: {message}",
    "papers.code.NOT_FOUND": "Not found",
    "papers.code.INVALID": "Invalid",
    "papers.code.DOMESTIC_PARCEL": "Domestic parcel",
    "papers.code.NO_ITEMS": "Empty parcel",
    "papers.code.HS_CODE_MISSING": "HS code missing",
    "papers.code.DESCRIPTION_MISSING": "Description missing",
    "papers.code.DESCRIPTION_VAGUE": "Description too vague",
    "papers.code.ORIGIN_MISSING": "Origin missing",
    "papers.code.WEIGHT_MISSING": "Weight missing",
    "papers.code.SENDER_ADDRESS_MISSING": "Shop address missing",
    "papers.code.RECEIVER_ADDRESS_INCOMPLETE": "Shipping address incomplete",
    "papers.code.REGISTRATION_MISSING": "Registration number missing",
    "papers.code.SDR_RATE_UNAVAILABLE": "Exchange rates missing",
  },
  zh: {
    "papers.declaration": "报关单",
    "papers.invoice": "商业发票",
    "papers.problems": "暂时无法打印这些单据：",
    "papers.opened": "{form} 已在新标签页打开。",
    "papers.invoiceOpened": "商业发票已在新标签页打开。",
    "papers.failed": "无法生成单据：{message}",
    "papers.code.NOT_FOUND": "未找到",
    "papers.code.INVALID": "无效",
    "papers.code.DOMESTIC_PARCEL": "境内包裹",
    "papers.code.NO_ITEMS": "空包裹",
    "papers.code.HS_CODE_MISSING": "缺少 HS 编码",
    "papers.code.DESCRIPTION_MISSING": "缺少报关品名",
    "papers.code.DESCRIPTION_VAGUE": "报关品名过于笼统",
    "papers.code.ORIGIN_MISSING": "缺少原产国",
    "papers.code.WEIGHT_MISSING": "缺少净重",
    "papers.code.SENDER_ADDRESS_MISSING": "缺少店铺地址",
    "papers.code.RECEIVER_ADDRESS_INCOMPLETE": "收货地址不完整",
    "papers.code.REGISTRATION_MISSING": "缺少税号/注册号",
    "papers.code.SDR_RATE_UNAVAILABLE": "缺少汇率",
  },
});

const FORMS = { CN22: "CN22", CN23: "CN23" };

/**
 * Opens one of the parcel's papers. The tab is opened at the click, before the link exists,
 * so that no popup blocker stops it; it is closed again when the papers cannot be made.
 */
async function open(shipment, kind, problems) {
  const tab = window.open("", "_blank");
  if (tab) tab.opener = null;
  problems.replaceChildren();
  let payload;
  try {
    payload = (await gql(CUSTOMS_DOCUMENT_LINK, { input: { shipmentId: shipment.id, kind } })).createCustomsDocumentLink;
  } catch (err) {
    tab?.close();
    problems.replaceChildren(h("p", { class: "form-error" }, t("papers.failed", { message: err.message })));
    return;
  }
  if (payload.errors.length) {
    tab?.close();
    problems.replaceChildren(
      h("p", {}, t("papers.problems")),
      h("ul", {}, payload.errors.map((e) => h("li", { dataset: { code: e.code } },
        h("strong", {}, t(`papers.code.${e.code}`)), ": ", e.message))));
    return;
  }
  const { url, form, filename } = payload.link;
  if (tab) {
    tab.location.href = url;
    problems.replaceChildren(h("p", { class: "muted" },
      kind === "DECLARATION" ? t("papers.opened", { form: FORMS[form] || form }) : t("papers.invoiceOpened")));
  } else {
    // A blocked popup: the link itself, valid for a short while.
    problems.replaceChildren(h("p", {}, h("a", { href: url, target: "_blank", rel: "noopener" }, filename)));
  }
}

/** The two buttons of a parcel and the place its papers' problems are listed. */
export function papersButtons(shipment) {
  const problems = h("div", { class: "parcel-papers-problems", "aria-live": "polite" });
  return h("div", { class: "parcel-papers", dataset: { shipment: shipment.id } },
    button(t("papers.declaration"), () => open(shipment, "DECLARATION", problems), { kind: "secondary button-small" }),
    " ",
    button(t("papers.invoice"), () => open(shipment, "COMMERCIAL_INVOICE", problems), { kind: "secondary button-small" }),
    problems);
}
