// The account page: profile, addresses and recent orders, with the loyalty panels of
// ./loyalty.js, the store credit panel of ./credit.js and the profile, password and privacy panels of ./profile.js; after a change it
// is drawn again from fresh data.

import { fill, h, newId } from "../lib/dom.js";
import { formActions, formValues, noteText, submitButton } from "../lib/forms.js";
import { formatDate, plural, t } from "../lib/i18n.js";
import { navigate } from "../lib/router.js";
import { ADDRESS_FIELDS, addressFields, addressLines, defaultCountry } from "../shop/address.js";
import { gql, mutate, session, signedIn } from "../shop/api.js";
import { listHref, orderHref, pageHref, parseHash } from "../shop/routes.js";
import { errorBox, loadingBlock, panel } from "../shop/ui.js";
import { STORE_CREDIT_FIELDS, storeCreditPanel } from "./credit.js";
import { checkInPanel, memberPanel, pointsPanel, rewardsPanel } from "./loyalty.js";
import { PROFILE_FIELDS, deletedPage, passwordPanel, privacyPanel, profilePanel } from "./profile.js";

const MEMBER_ERRORS = "errors { field code message }";
const ACCOUNT_QUERY = `
query Account {
  me {
    id email phone ${PROFILE_FIELDS}
    tier { name }
    pointsBalance
    pointsExpiringSoon { amount expiresAt }
    checkInStatus { checkedInToday streak nextPoints }
    addresses { ${ADDRESS_FIELDS} }
    pointsEntries(first: 5) { nodes { id amount kind note createdAt } }
    ${STORE_CREDIT_FIELDS}
    orders(first: 5) { nodes { id number status placedAt itemCount total { formatted } } }
  }
  rewards(first: 20) { nodes { id name description pointsCost stock available } }
}`;
const PROFILE = {
  createAddress: `mutation AddAddress($input: CreateAddressInput!) { createAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  updateAddress: `mutation EditAddress($input: UpdateAddressInput!) { updateAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  deleteAddress: `mutation DeleteAddress($input: DeleteAddressInput!) { deleteAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  setDefaultAddress: `mutation DefaultAddress($input: SetDefaultAddressInput!) {
    setDefaultAddress(input: $input) { ${MEMBER_ERRORS} } }`,
};

/**
 * The account page. After a change it is drawn again from fresh data, with `flash`
 * ({panel, text}) confirming the change in the panel it was made in.
 */
export async function showAccount(view, state, current, flash = null) {
  if (!signedIn()) return navigate(pageHref("sign-in", state));
  document.title = `${t("myAccount")} · Tradewind`;
  if (!flash) fill(view, loadingBlock("account"));
  let data;
  try {
    data = await gql(ACCOUNT_QUERY, {}, state.lang);
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showAccount(view, state, current)));
    return;
  }
  if (!current()) return;
  if (!data.me) {
    // Even a refresh did not help: the sign-in has ended.
    session.end();
    return navigate(pageHref("sign-in", state));
  }
  const me = data.me;
  const reload = (next) => showAccount(view, state, current, next);
  const flashFor = (panel) => (flash?.panel === panel ? noteText(flash.text) : null);
  const ctx = { me, reload, flashFor };
  fill(view, h("div", { class: "account" },
    h("div", { class: "account-head" },
      h("h1", { class: "account-title" }, t("myAccount")),
      h("button", {
        type: "button",
        class: "button button-secondary",
        onclick: async () => {
          await session.signOut();
          navigate(listHref(state));
        },
      }, t("signOut"))),
    h("div", { class: "account-grid" },
      h("div", { class: "account-side" }, memberPanel(me), checkInPanel(ctx)),
      h("div", { class: "account-main" },
        profilePanel(ctx), addressesPanel(ctx), storeCreditPanel(me), pointsPanel(me), ordersPanel(me), rewardsPanel(ctx, data.rewards.nodes),
        passwordPanel(ctx),
        privacyPanel(ctx, { onDeleted: () => fill(view, deletedPage(listHref(state))) })))));
  view.querySelector(".form-note")?.focus({ preventScroll: true });
}

function addressesPanel({ me, reload, flashFor }) {
  const items = h("ul", { class: "addresses" }, me.addresses.map((a) => addressItem(a, reload)));
  const add = h("button", {
    type: "button",
    class: "button button-secondary",
    onclick: () => {
      const form = addressForm(null, reload, () => {
        form.remove();
        add.hidden = false;
        add.focus();
      });
      add.hidden = true;
      add.after(form);
      form.elements.fullName.focus();
    },
  }, t("addAddress"));
  return panel("addresses", t("addresses"),
    me.addresses.length ? items : h("p", { class: "muted" }, t("noAddresses")), flashFor("addresses"), add);
}

function addressItem(a, reload) {
  const textId = newId("address-");
  const action = (label, onclick, extra = "") =>
    h("button", { type: "button", class: `link-button${extra}`, "aria-describedby": textId, onclick }, label);
  const item = h("li", { class: `address${a.isDefault ? " is-default" : ""}` },
    h("address", { id: textId }, addressLines(a), a.phone ? h("span", {}, a.phone) : null),
    a.isDefault ? h("span", { class: "badge badge-default" }, t("default")) : null,
    h("div", { class: "address-actions" },
      action(t("edit"), () => {
        const form = addressForm(a, reload, () => {
          form.replaceWith(item);
          item.querySelector("button").focus();
        });
        item.replaceWith(form);
        form.elements.fullName.focus();
      }),
      a.isDefault ? null : action(t("setDefault"), async () => {
        if (await mutate(item, PROFILE.setDefaultAddress, { input: { id: a.id } })) reload({ panel: "addresses", text: t("addressSaved") });
      }),
      action(t("delete"), async () => {
        if (!confirm(t("confirmDelete"))) return;
        if (await mutate(item, PROFILE.deleteAddress, { input: { id: a.id } })) reload({ panel: "addresses", text: t("addressDeleted") });
      }, " is-danger")));
  return item;
}

/** Adds an address (`a` null) or edits one. */
function addressForm(a, reload, onCancel) {
  const v = a || { country: defaultCountry() };
  const form = h("form", {
    class: "form form-grid address-form",
    "aria-label": a ? t("editAddress") : t("addAddress"),
    onsubmit: async (e) => {
      e.preventDefault();
      const { isDefault = false, ...values } = formValues(form);
      // Left empty: nothing (a new address) or cleared (an edit).
      for (const name of ["company", "line2", "region", "postalCode", "phone"]) if (!values[name] && !a) values[name] = null;
      const payload = a
        ? await mutate(form, PROFILE.updateAddress, { input: { id: a.id, ...values } })
        : await mutate(form, PROFILE.createAddress, { input: { ...values, isDefault } });
      if (payload) reload({ panel: "addresses", text: t("addressSaved") });
    },
  },
  h("h3", { class: "form-title" }, a ? t("editAddress") : t("addAddress")),
  addressFields(v),
  a ? null : h("label", { class: "check field-wide" }, h("input", { type: "checkbox", name: "isDefault" }), t("makeDefault")),
  formActions(submitButton(t("save")), h("button", { type: "button", class: "button button-secondary", onclick: onCancel }, t("cancel"))));
  return form;
}

function ordersPanel(me) {
  const orders = me.orders.nodes;
  return panel("orders", t("recentOrders"), orders.length
    ? h("ul", { class: "rows" }, orders.map((o) =>
        h("li", { class: "row" },
          h("span", { class: "row-main" }, h("a", { href: orderHref(o.number, parseHash().state) }, t("orderNumber", { number: o.number })),
            h("span", { class: "row-note" }, `${t(`status.${o.status}`)} · ${plural("items", o.itemCount)}`)),
          h("time", { class: "row-date", datetime: o.placedAt }, formatDate(o.placedAt)),
          h("span", { class: "row-amount" }, o.total.formatted))))
    : h("p", { class: "muted" }, t("noOrders")));
}
