// The payment step of an unpaid order: the methods the shop offers, a test card for the
// built-in test gateway, Stripe's Payment Element (Stripe.js loaded from Stripe on first use),
// a QR code to scan with a wallet app (WeChat Pay, Alipay), or the provider's own page and back
// (Alipay's cashier, PayPal's approval, WeChat Pay on a phone).

import { fill, h, markChecked } from "../lib/dom.js";
import { busy, clearErrors, field, formActions, formValues, input, noteText, showErrors, submitButton } from "../lib/forms.js";
import { hasMessage, t, uiLocale } from "../lib/i18n.js";
import { gql, mutate } from "../shop/api.js";
import { errorBox, panel } from "../shop/ui.js";

const PAYMENT_PAYLOAD = "payment { id status method amount { formatted } clientSecret publishableKey nextAction qrCode failureMessage } errors { field code message }";
const PAYMENT_OPTIONS_QUERY = `query PaymentOptions($number: String!, $email: String) { paymentOptions(orderNumber: $number, email: $email) { offered { method displayName } unavailable { method displayName reason message limit { formatted } } } }`;
const CREATE_PAYMENT = `mutation CreatePayment($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_PAYLOAD} } }`;
const PAY_WITH_TEST_CARD = `mutation PayWithTestCard($input: PayWithTestCardInput!) { payWithTestCard(input: $input) { ${PAYMENT_PAYLOAD} } }`;
const COMPLETE_PAYMENT = `mutation CompletePayment($input: CompletePaymentInput!) { completePayment(input: $input) { ${PAYMENT_PAYLOAD} } }`;
const CONFIRM_TEST_PAYMENT = `mutation ConfirmTestPayment($input: ConfirmTestPaymentInput!) { confirmTestPayment(input: $input) { ${PAYMENT_PAYLOAD} } }`;
// The built-in test gateway's documented cards (README, "Payments, refunds and settlement").
const TEST_CARDS = [
  ["4242 4242 4242 4242", "testCard.succeeds"],
  ["4000 0000 0000 0002", "testCard.declines"],
  ["4000 0025 0000 3155", "testCard.confirm"],
];
const BANK_TRANSFER = "bank_transfer";
const paymentMethodName = (m, fallback = m) => (hasMessage(`payMethod.${m}`) ? t(`payMethod.${m}`) : fallback);
/** Why a method cannot pay this order, in the shopper's language (the server's words for a
 * reason this page does not know). */
function unavailableReason(u) {
  const key = `payUnavailable.${u.reason}`;
  return hasMessage(key) ? t(key, { limit: u.limit?.formatted || "" }) : u.message;
}

// Stripe requires Stripe.js to be loaded from its own address, never bundled or copied.
const STRIPE_JS = "https://js.stripe.com/v3/";
let stripeJs = null;

/** The `Stripe` constructor, loading Stripe.js on first use; a failed load may be retried. */
function loadStripe() {
  stripeJs ||= new Promise((resolve, reject) => {
    if (window.Stripe) return resolve(window.Stripe);
    const script = document.createElement("script");
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error(t("payStripeUnavailable"))));
    script.onerror = () => {
      script.remove();
      stripeJs = null;
      reject(new Error(t("payStripeUnavailable")));
    };
    document.head.append(script);
  });
  return stripeJs;
}

/** A provider's amount in minor units, formatted in its currency. */
function formatMinor(minor, currency) {
  const code = currency.toUpperCase();
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits;
  return new Intl.NumberFormat(uiLocale, { style: "currency", currency: code }).format(minor / 10 ** digits);
}

/** A label for a bank account's field as the provider names it (`account_holder_name`). */
const transferField = (key) => (hasMessage(`transfer.${key}`) ? t(`transfer.${key}`) : key.replaceAll("_", " "));

/** What Stripe said in the address it sent the shopper back to after a redirect (Alipay,
 * PayPal, ...), once: `succeeded`, `pending` or `failed`; null when the page was not such a
 * return. The parameters are taken out of the address so a reload does not read them again. */
function stripeReturn() {
  const url = new URL(location.href);
  const status = url.searchParams.get("redirect_status");
  if (!status) return null;
  for (const name of ["payment_intent", "payment_intent_client_secret", "redirect_status"]) url.searchParams.delete(name);
  history.replaceState(history.state, "", url);
  return status;
}

// The attempt a shopper left the page for (the provider's page), by order, so the page it
// sends them back to can finish it: PayPal's payment is captured only then.
const AWAY_KEY = (number) => `tradewind.payAway.${number}`;
// Marks the address the provider sends the shopper back to.
const RETURN_MARK = "pay_return";

function rememberAway(number, attempt) {
  try {
    sessionStorage.setItem(AWAY_KEY(number), JSON.stringify(attempt));
  } catch {
    // Private mode without storage: the order's live status still tells the outcome.
  }
}

/** The attempt the shopper comes back from, once; null when this page is no such return. */
function cameBack(number) {
  const url = new URL(location.href);
  if (!url.searchParams.has(RETURN_MARK)) return null;
  url.searchParams.delete(RETURN_MARK);
  history.replaceState(history.state, "", url);
  let away = null;
  try {
    away = JSON.parse(sessionStorage.getItem(AWAY_KEY(number)) || "null");
    sessionStorage.removeItem(AWAY_KEY(number));
  } catch {
    away = null;
  }
  return away?.id ? away : null;
}

/** The address the provider sends the shopper back to: this page, marked. */
function returnUrl() {
  const url = new URL(location.href);
  url.searchParams.set(RETURN_MARK, "1");
  return url.href;
}

/** Whether the shopper is on a phone, where a wallet's own page beats a code to scan. */
const onPhone = () => matchMedia("(hover: none) and (pointer: coarse)").matches;

/**
 * The payment step of an unpaid order, kept across the page's redraws (one element, moved back
 * in each time). Lists the offered methods; `createPayment` tells which provider takes it: the
 * test gateway (`test_secret_…`) is paid here with a test card, Stripe (`pi_…`) in Stripe's
 * Payment Element. Guests prove the order is theirs with its email. `onPaid` refreshes
 * the order once the payment went through.
 */
export function paymentPanel(number, { email = null, total = null, onPaid = () => {} } = {}) {
  const body = h("div", { class: "pay-body" });
  const el = panel("payment", t("payment"), body);
  el.classList.add("pay-panel");
  let methods = null;
  let unavailable = []; // methods the shop has that cannot pay this order, with the reason
  let method = null;
  let payment = null; // the current attempt
  let secret = null; // its client secret: only createPayment's answer carries it
  let declined = null; // why the last attempt failed

  let publishableKey = null; // the provider's public key, when its script completes the payment
  const amount = () => payment?.amount?.formatted || total;
  const usable = () => payment && payment.status === "REQUIRES_ACTION" && payment.nextAction?.type !== "confirm_test_payment";

  async function load() {
    fill(body, h("p", { class: "muted" }, t("loading")));
    try {
      const options = (await gql(PAYMENT_OPTIONS_QUERY, { number, email }, uiLocale)).paymentOptions;
      methods = options.offered.map((o) => o.method);
      unavailable = options.unavailable;
    } catch (err) {
      fill(body, errorBox(err, load));
      return;
    }
    method = methods[0] || null;
    const away = cameBack(number);
    if (away) return finish(away);
    const returned = stripeReturn();
    if (returned === "succeeded" || returned === "pending") {
      payment = { status: "PROCESSING" };
      return done();
    }
    if (returned === "failed") declined = t("payDeclined");
    choose(declined);
  }

  function choose(why = null) {
    payment = null;
    secret = null;
    publishableKey = null;
    declined = why;
    if (!methods.length) {
      // Nothing can be paid here now; how else to pay is the shop's to say, not a guess.
      fill(body, h("p", { class: "notice" }, t("awaitingPayment", { number })));
      return;
    }
    const form = h("form", {
      class: "pay-form",
      onsubmit: async (e) => {
        e.preventDefault();
        method = formValues(form).method || method;
        if (await start(form)) next();
      },
    },
    declined ? h("div", { class: "form-alert", role: "alert" }, h("p", {}, declined)) : null,
    h("fieldset", { class: "pay-methods" },
      h("legend", {}, t("payChoose")),
      methods.map((m) => h("label", { class: `ship-option pay-method${m === method ? " is-selected" : ""}` },
        h("input", {
          type: "radio",
          name: "method",
          value: m,
          checked: m === method,
          required: true,
          onchange: () => {
            method = m;
            markChecked(form, ".pay-method", "method");
          },
        }),
        h("span", { class: "ship-name" }, h("strong", {}, paymentMethodName(m)),
          m === BANK_TRANSFER ? h("span", { class: "row-note pay-transfer-note" }, t("payTransferNote", { number })) : null)))),
    unavailableList(),
    formActions(submitButton(t("payContinue"))));
    fill(body, form);
  }

  /** The shop's methods this order cannot use, greyed with the reason: shown, not choosable. */
  function unavailableList() {
    if (!unavailable.length) return null;
    return h("div", { class: "pay-unavailable" },
      h("p", { class: "muted" }, t("payUnavailable")),
      h("ul", {}, unavailable.map((u) => h("li", { class: "pay-method is-disabled", "aria-disabled": "true" },
        h("strong", {}, paymentMethodName(u.method, u.displayName)),
        h("span", { class: "row-note" }, unavailableReason(u))))));
  }

  /** A new attempt with the chosen method; false (errors shown in `root`) when refused. */
  async function start(root) {
    const payload = await mutate(root, CREATE_PAYMENT, { input: { orderNumber: number, method, email, returnUrl: returnUrl(), mobile: onPhone() } });
    if (!payload) return false;
    payment = payload.payment;
    secret = payment.clientSecret;
    publishableKey = payment.publishableKey;
    return true;
  }

  /** What the current attempt needs next. */
  function next() {
    if (payment.status === "SUCCEEDED" || payment.status === "PROCESSING") return done();
    if (payment.status === "FAILED" || payment.status === "CANCELED") {
      declined = payment.failureMessage || t("payDeclined");
      payment = null; // the next try is a new attempt
      return cardForm();
    }
    if (secret?.startsWith("pi_") && publishableKey) return stripeForm();
    if (payment.nextAction?.type === "confirm_test_payment") return confirmStep();
    if (secret?.startsWith("test_secret_")) return cardForm();
    if (payment.nextAction?.type === "display_qr_code" && payment.qrCode) return qrStep();
    const away = payment.nextAction?.redirect_to_url?.url;
    if (payment.nextAction?.type === "redirect_to_url" && /^https?:\/\//.test(away || "")) return leaveFor(away);
    fill(body, h("p", { class: "notice" }, t("payProvider")), transferDetails(payment), otherMethod());
  }

  /** The bank details of a bank-transfer attempt, as its provider gave them; nothing for any
   * other method, so no transfer is ever suggested where the shop offers none. */
  function transferDetails(attempt) {
    const info = attempt?.nextAction?.display_bank_transfer_instructions;
    if (method !== BANK_TRANSFER || !methods.includes(BANK_TRANSFER) || !info) return null;
    const rows = [[t("transferReference"), info.reference]];
    if (info.amount_remaining != null && info.currency) rows.push([t("transferAmount"), formatMinor(info.amount_remaining, info.currency)]);
    for (const a of info.financial_addresses || []) {
      const account = a[a.type] || {};
      for (const [key, value] of Object.entries(account)) if (typeof value === "string" && value) rows.push([transferField(key), value]);
    }
    return h("section", { class: "pay-transfer", "aria-label": t("payTransferDetails") },
      h("h3", {}, t("payTransferDetails")),
      h("dl", { class: "details-list" }, rows.filter(([, v]) => v).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      info.hosted_instructions_url?.startsWith("https://")
        ? h("p", {}, h("a", { href: info.hosted_instructions_url, target: "_blank", rel: "noopener noreferrer" }, t("payTransferInstructions")))
        : null);
  }

  /** A way back to the list of methods: "another method", or `label` where trying the same
   * one again makes sense too. */
  function otherMethod(label = null) {
    if (!label && methods.length < 2) return null;
    return h("p", {}, h("button", { type: "button", class: "link-button", onclick: () => choose() }, label || t("payOtherMethod")));
  }

  /** The payment's answer to a step of the test gateway: the attempt as it stands now. */
  function answered(payload) {
    payment = { ...payment, ...payload.payment, amount: payload.payment.amount || payment.amount };
    next();
  }

  /** A form that pays with the chosen method: `inputs` and the pay button; `onSubmit` pays. */
  function payForm(onSubmit, ...inputs) {
    return h("form", {
      class: "pay-form",
      onsubmit: (e) => {
        e.preventDefault();
        return onSubmit();
      },
    },
    h("p", { class: "pay-method-name" }, paymentMethodName(method)),
    declined ? h("div", { class: "form-alert", role: "alert" }, h("p", {}, declined)) : null,
    inputs,
    formActions(submitButton(amount() ? t("payAmount", { amount: amount() }) : t("payNow"))),
    otherMethod());
  }

  function cardForm() {
    const card = input({ name: "cardNumber", inputmode: "numeric", autocomplete: "off", spellcheck: "false", placeholder: "4242 4242 4242 4242", required: true });
    const hint = [t("testCardsHint"), h("ul", { class: "test-cards" }, TEST_CARDS.map(([n, key]) =>
      h("li", {},
        h("button", { type: "button", class: "link-button test-card", onclick: () => { card.value = n; card.focus(); } }, h("code", {}, n)),
        " ", t(key))))];
    const form = payForm(async () => {
      const { cardNumber } = formValues(form);
      if (!usable() && !(await start(form))) return;
      const payload = await mutate(form, PAY_WITH_TEST_CARD, { input: { paymentId: payment.id, cardNumber, clientSecret: secret } });
      if (!payload) return;
      answered(payload);
    }, field(t("cardNumber"), card, { hint }));
    fill(body, form);
    if (declined) card.focus();
  }

  function confirmStep() {
    const root = h("div", { class: "pay-form" },
      h("p", {}, t("payConfirmText")),
      formActions(h("button", {
        type: "button",
        class: "button",
        onclick: async () => {
          const payload = await mutate(root, CONFIRM_TEST_PAYMENT, { input: { paymentId: payment.id, clientSecret: secret } });
          if (!payload) return;
          answered(payload);
        },
      }, t("payConfirm"))));
    fill(body, root);
    root.querySelector("button").focus();
  }

  /** Stripe's Payment Element for the attempt's PaymentIntent: Stripe.js collects the
   * shopper's details (card data never reaches the shop) and confirms the payment, showing 3-D
   * Secure, a QR code or bank details itself, or sending the shopper to their wallet and back.
   * The order turns paid when Stripe's webhook reaches the shop. */
  async function stripeForm() {
    fill(body, h("p", { class: "muted" }, t("loading")));
    let Stripe;
    try {
      Stripe = await loadStripe();
    } catch (err) {
      fill(body, errorBox(err, stripeForm), otherMethod());
      return;
    }
    const stripe = Stripe(publishableKey, { locale: uiLocale });
    const elements = stripe.elements({ clientSecret: secret, locale: uiLocale });
    const mount = h("div", { class: "stripe-element" });
    const form = payForm(async () => {
      clearErrors(form);
      const release = busy(form);
      try {
        const { error, paymentIntent } = await stripe.confirmPayment({
          elements,
          confirmParams: { return_url: location.href },
          redirect: "if_required",
        });
        if (error) {
          showErrors(form, [{ message: error.message || t("payDeclined") }]);
          return;
        }
        if (paymentIntent.status === "succeeded" || paymentIntent.status === "processing") {
          payment = { ...payment, status: "PROCESSING" }; // paid once the webhook says so
          return next();
        }
        // Bank details or a QR code were shown: the money comes later.
        const fresh = paymentIntent?.next_action ? { ...payment, nextAction: paymentIntent.next_action } : payment;
        fill(body, h("p", { class: "notice" }, t("payProvider")), transferDetails(fresh), otherMethod());
      } finally {
        release();
      }
    }, mount);
    fill(body, form);
    elements.create("payment").mount(mount);
  }

  /** The wallet's QR code, for the shopper to scan with the provider's app; the order page
   * watches the order live and says so the moment the provider's notification arrives. */
  function qrStep() {
    el.dataset.state = "waiting";
    const expires = Number(payment.nextAction.display_qr_code?.expires_at) || 0;
    const until = expires ? h("p", { class: "row-note" }, t("payQrUntil", { time: new Date(expires * 1000).toLocaleTimeString(uiLocale, { hour: "2-digit", minute: "2-digit" }) })) : null;
    fill(body, h("div", { class: "pay-form pay-qr" },
      h("p", { class: "pay-method-name" }, paymentMethodName(method)),
      h("p", {}, t("payQrScan", { method: paymentMethodName(method) })),
      h("img", { class: "pay-qr-code", src: payment.qrCode, alt: t("payQrAlt", { method: paymentMethodName(method) }), width: 220, height: 220 }),
      amount() ? h("p", { class: "pay-qr-amount" }, h("strong", {}, amount())) : null,
      until,
      h("p", { class: "muted", role: "status" }, t("payQrWaiting")),
      h("p", {}, h("button", { type: "button", class: "link-button", onclick: () => choose() }, t("payQrNew"))),
      otherMethod()));
  }

  /** The provider's own page (a cashier, an approval): the shopper comes back to this page,
   * which then finishes the attempt (`finish`). */
  function leaveFor(url) {
    el.dataset.state = "away";
    rememberAway(number, { id: payment.id, method });
    fill(body, h("p", { class: "notice", role: "status" }, t("payLeaving", { method: paymentMethodName(method) })));
    location.assign(url);
  }

  /** Back from the provider's page: completing the payment where the provider leaves that
   * to the shop (PayPal's capture), then waiting for the order to say it is paid. */
  async function finish(away) {
    method = away.method || method;
    fill(body, h("p", { class: "muted", role: "status" }, t("payChecking")));
    let payload = null;
    try {
      const answer = await gql(COMPLETE_PAYMENT, { input: { paymentId: away.id, email } }, uiLocale);
      payload = answer.completePayment;
    } catch (err) {
      fill(body, errorBox(err, () => finish(away)));
      return;
    }
    if (payload.errors?.length) {
      choose(payload.errors[0].message);
      return;
    }
    payment = payload.payment;
    if (payment.status === "REQUIRES_ACTION") {
      // Not approved or not paid yet: the shopper cancelled at the provider, or its news is
      // still on the way (the order page updates when it arrives).
      el.dataset.state = "waiting";
      fill(body, h("p", { class: "notice", role: "status" }, t("payNotYet")), otherMethod(t("payTryAgain")));
      return;
    }
    next();
  }

  function done() {
    el.dataset.state = "paid";
    const message = noteText(payment.status === "PROCESSING" ? t("payProcessing") : t("payDone"));
    fill(body, message);
    message.focus();
    onPaid();
  }

  /** The order's status says it is paid: say so, whatever this page last heard. */
  el.markPaid = () => {
    if (payment?.status === "SUCCEEDED") return;
    payment = { ...payment, status: "SUCCEEDED" };
    el.dataset.state = "paid";
    fill(body, h("p", { class: "form-note", role: "status" }, t("payDone")));
  };

  load();
  return el;
}
