// The customers screen: the list with search and tier filter (`#/customers`), and one
// customer's record (`#/customers/<id>`): profile, tier, points ledger with adjustments,
// store credit (balances, history, "Give store credit"), addresses, orders, and disabling
// the account (admins only).

import { h } from "../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../lib/forms.js";
import { countryName, languageName, t } from "../../lib/i18n.js";
import { can, gql, isAdmin, mutate } from "../api.js";
import { href } from "../routes.js";
import { dateTime, money, number } from "../ui/format.js";
import { serverList } from "../ui/list.js";
import { badge, button, confirmDialog, facts, pageHead, panel, state, toast } from "../ui/page.js";
import "./customers/messages.js";

const LIST = `query ConsoleCustomers($first: Int, $after: String, $last: Int, $before: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id email phone nickname createdAt isActive deletedAt pointsBalance tier { id name } }
  }
}`;

const TIERS = `query ConsoleTierChoices { membershipTiers(first: 50) { nodes { id name rank } } }`;

const ENTRIES = `pointsEntries(first: 20) { totalCount nodes { id amount kind note createdAt expiresAt } }`;

const CREDIT = `storeCredit {
  balances { currency balance { amount currency } }
  entries(first: 20) { totalCount nodes { id kind amount { amount currency } balanceAfter { amount currency } note orderNumber createdAt } }
}`;

const CURRENCIES = `query ConsoleCreditCurrencies { currencies { code } }`;

const GRANT = `mutation ConsoleGrantStoreCredit($input: GrantStoreCreditInput!) {
  grantStoreCredit(input: $input) { balance { amount currency } entry { id } errors { field code message } }
}`;

const CUSTOMER = `query ConsoleCustomer($id: ID!) {
  customer(id: $id) {
    id email phone nickname gender birthday contactEmail contactPhone locale currency
    createdAt lastSignInAt isActive deletedAt emailVerified phoneVerified
    tier { id name } pointsBalance pointsExpiringSoon { amount expiresAt }
    ${ENTRIES}
    ${CREDIT}
    addresses { id fullName company line1 line2 city region postalCode country phone isDefault }
    orders(first: 10) { totalCount nodes { id number status placedAt total { amount currency } } }
  }
}`;

const ADJUST = `mutation ConsoleAdjustPoints($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { pointsBalance entry { id } errors { field code message } }
}`;

const RECOMPUTE = `mutation ConsoleRecomputeTier($input: RecomputeMemberTierInput!) {
  recomputeMemberTier(input: $input) { tier { id name } errors { field code message } }
}`;

// One constant document per mutation (not a document built at run time), so that each is a
// trusted document the server knows by its hash.
const TOGGLE = {
  disableAccount: `mutation ConsoleToggleAccount($id: ID!) {
  disableAccount(userId: $id) { user { id isActive } errors { field code message } }
}`,
  enableAccount: `mutation ConsoleToggleAccount($id: ID!) {
  enableAccount(userId: $id) { user { id isActive } errors { field code message } }
}`,
};

export async function show(view, ctx) {
  if (ctx.segments[0]) return showCustomer(view, ctx, ctx.segments[0]);
  return showList(view, ctx);
}

/** The customer's name as staff know them: nickname, else email, else phone. */
const nameOf = (c) => c.nickname || c.email || c.phone || t("customers.anonymous");

function accountBadge(c) {
  if (c.deletedAt) return badge("DELETED", { label: t("customers.status.DELETED"), tone: "neutral" });
  return c.isActive ? badge("ACTIVE", { label: t("customers.status.ACTIVE") }) : badge("DISABLED");
}

async function showList(view, ctx) {
  let tiers = [];
  try {
    tiers = (await gql(TIERS)).membershipTiers.nodes;
  } catch {
    // The list still works without the tier filter.
  }
  if (!ctx.current()) return;
  const list = serverList({
    ctx,
    query: LIST,
    pick: (d) => d.customers,
    label: t("nav.customers"),
    variables: (p) => ({
      filter: {
        search: p.get("q") || null,
        tierId: p.get("tier") || null,
        includeDeleted: p.get("deleted") === "1",
      },
    }),
    filters: [
      { name: "q", label: t("search"), type: "search", placeholder: t("customers.searchHint") },
      { name: "tier", label: t("customers.tier"), type: "select", options: tiers.map((tier) => [tier.id, tier.name]) },
      { name: "deleted", label: t("customers.deleted"), type: "select", allLabel: t("customers.deleted.hide"), options: [["1", t("customers.deleted.show")]] },
    ],
    columns: [
      { label: t("customers.name"), cell: nameOf },
      { label: t("customers.contact"), cell: (c) => [c.email, c.phone].filter(Boolean).join(" · ") || "—" },
      { label: t("customers.tier"), cell: (c) => c.tier?.name || "—" },
      { label: t("customers.points"), cell: (c) => number(c.pointsBalance), num: true },
      { label: t("customers.joined"), cell: (c) => dateTime(c.createdAt) },
      { label: t("customers.account"), cell: accountBadge },
    ],
    rowHref: (c) => href("customers", [c.id]),
  });
  view.replaceChildren(pageHead(t("nav.customers")), list);
}

async function showCustomer(view, ctx, id) {
  let customer;
  let currencies = [];
  try {
    customer = (await gql(CUSTOMER, { id })).customer;
    if (customer && can("CUSTOMERS") && !customer.deletedAt) currencies = await creditCurrencies();
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const back = [href("customers"), t("nav.customers")];
  if (!customer) return view.replaceChildren(pageHead(t("customers.notFound"), { crumb: back }));
  const redraw = () => showCustomer(view, ctx, id);

  const actions = [];
  if (isAdmin() && !customer.deletedAt) {
    actions.push(customer.isActive
      ? button(t("customers.disable"), () => toggle(customer, "disableAccount", redraw), { kind: "danger" })
      : button(t("customers.enable"), () => toggle(customer, "enableAccount", redraw)));
  }
  view.replaceChildren(
    pageHead(nameOf(customer), { crumb: back, actions: [accountBadge(customer), ...actions] }),
    h("div", { class: "stack" },
      h("div", { class: "columns" }, profilePanel(customer), loyaltyPanel(customer, redraw)),
      pointsPanel(customer, redraw),
      creditPanel(customer, currencies, redraw),
      h("div", { class: "columns" }, ordersPanel(customer), addressesPanel(customer))),
  );
}

async function toggle(customer, name, redraw) {
  const disabling = name === "disableAccount";
  const ok = await confirmDialog({
    title: disabling ? t("customers.disable.title") : t("customers.enable.title"),
    text: disabling ? t("customers.disable.text") : "",
    confirmLabel: disabling ? t("customers.disable") : t("customers.enable"),
    danger: disabling,
  });
  if (!ok) return;
  const root = document.querySelector(".page-head");
  const payload = await mutate(root, TOGGLE[name], { id: customer.id });
  if (payload) {
    toast(disabling ? t("customers.disabled") : t("customers.enabled"));
    redraw();
  }
}

function profilePanel(c) {
  const verified = (yes) => (yes ? ` (${t("customers.verified")})` : "");
  return panel(t("customers.profile"), facts([
    [t("customers.nickname"), c.nickname || "—"],
    [t("customers.email"), c.email ? c.email + verified(c.emailVerified) : null],
    [t("customers.phone"), c.phone ? c.phone + verified(c.phoneVerified) : null],
    [t("customers.contactEmail"), c.contactEmail],
    [t("customers.contactPhone"), c.contactPhone],
    [t("customers.gender"), c.gender && c.gender !== "UNSPECIFIED" ? t(`customers.gender.${c.gender}`) : null],
    [t("customers.birthday"), c.birthday],
    [t("customers.locale"), c.locale ? languageName(c.locale) : null],
    [t("customers.currency"), c.currency],
    [t("customers.joined"), dateTime(c.createdAt)],
    [t("customers.lastSignIn"), dateTime(c.lastSignInAt)],
    [t("customers.erasedAt"), c.deletedAt ? dateTime(c.deletedAt) : null],
  ]));
}

function loyaltyPanel(c, redraw) {
  const recompute = button(t("customers.recompute"), async () => {
    const payload = await mutate(box, RECOMPUTE, { input: { userId: c.id } });
    if (payload) {
      toast(t("customers.recomputed", { tier: payload.tier?.name || t("none") }));
      redraw();
    }
  }, { kind: "secondary" });
  const expiring = c.pointsExpiringSoon;
  const box = panel(t("customers.loyalty"), [
    facts([
      [t("customers.tier"), c.tier?.name || t("none")],
      [t("customers.points"), h("strong", { dataset: { balance: "" } }, number(c.pointsBalance))],
      [t("customers.expiring"), expiring ? t("customers.expiringText", { points: number(expiring.amount), date: dateTime(expiring.expiresAt) }) : null],
    ]),
    can("CUSTOMERS") ? h("div", { class: "actions customer-actions" }, recompute) : null,
  ]);
  return box;
}

function pointsPanel(c, redraw) {
  const key = `adjust-${c.id}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const form = h("form", { class: "form", "aria-label": t("customers.adjust") },
    field(t("customers.adjust.amount"), input({ name: "amount", type: "number", step: "1", required: true, inputmode: "numeric" }),
      { hint: t("customers.adjust.amountHint") }),
    field(t("customers.adjust.reason"), input({ name: "reason", required: true, maxlength: 200 })),
    formActions(submitButton(t("customers.adjust.submit"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = formValues(form);
    const amount = Number.parseInt(values.amount, 10);
    const payload = await mutate(form, ADJUST, {
      input: { userId: c.id, amount: Number.isFinite(amount) ? amount : 0, reason: values.reason, idempotencyKey: key },
    });
    if (payload) {
      toast(t("customers.adjusted", { balance: number(payload.pointsBalance) }));
      redraw();
    }
  });
  const rows = c.pointsEntries.nodes;
  const ledger = rows.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data points-ledger" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("customers.ledger.when")),
        h("th", { scope: "col" }, t("customers.ledger.kind")),
        h("th", { scope: "col" }, t("customers.ledger.note")),
        h("th", { scope: "col", class: "num" }, t("customers.ledger.points")),
        h("th", { scope: "col" }, t("customers.ledger.expires")))),
      h("tbody", {}, rows.map((e) => h("tr", {},
        h("td", {}, dateTime(e.createdAt)),
        h("td", {}, t(`customers.kind.${e.kind}`)),
        h("td", {}, e.note || "—"),
        h("td", { class: "num" }, `${e.amount > 0 ? "+" : ""}${number(e.amount)}`),
        h("td", {}, e.expiresAt ? dateTime(e.expiresAt) : "—"))))))
    : h("p", { class: "empty" }, t("customers.ledger.empty"));
  return panel(t("customers.ledger"), [can("CUSTOMERS") && !c.deletedAt ? form : null, ledger]);
}

/** The currencies credit can be given in: those the shop sells in (its own among them). */
async function creditCurrencies() {
  try {
    return (await gql(CURRENCIES)).currencies.map((c) => c.code);
  } catch {
    return [];
  }
}

function creditPanel(c, currencies, redraw) {
  const credit = c.storeCredit;
  const key = `credit-${c.id}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const balances = credit.balances.length
    ? facts(credit.balances.map((b) => [b.currency, h("strong", { dataset: { creditBalance: b.currency } }, money(b.balance))]))
    : h("p", { class: "empty" }, t("customers.credit.none"));
  let form = null;
  if (currencies.length) {
    form = h("form", { class: "form", "aria-label": t("customers.credit.give") },
      field(t("customers.credit.amount"), input({ name: "amount", type: "number", min: "0", step: "any", required: true, inputmode: "decimal" })),
      field(t("customers.credit.currency"), select("currency", currencies.map((code) => [code, code]),
        currencies.includes(c.currency) ? c.currency : currencies[0])),
      field(t("customers.credit.note"), input({ name: "note", required: true, maxlength: 300 }),
        { hint: t("customers.credit.noteHint") }),
      formActions(submitButton(t("customers.credit.give"))));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const values = formValues(form);
      const payload = await mutate(form, GRANT, {
        input: { userId: c.id, currency: values.currency, amount: values.amount || "0", note: values.note, idempotencyKey: key },
      });
      if (payload) {
        toast(t("customers.credit.given", { balance: money(payload.balance) }));
        redraw();
      }
    });
  }
  const rows = credit.entries.nodes;
  const history = rows.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data credit-ledger" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("customers.ledger.when")),
        h("th", { scope: "col" }, t("customers.ledger.kind")),
        h("th", { scope: "col" }, t("customers.ledger.note")),
        h("th", { scope: "col", class: "num" }, t("customers.credit.amount")),
        h("th", { scope: "col", class: "num" }, t("customers.credit.balanceAfter")))),
      h("tbody", {}, rows.map((e) => h("tr", {},
        h("td", {}, dateTime(e.createdAt)),
        h("td", {}, t(`customers.credit.kind.${e.kind}`)),
        h("td", {}, e.orderNumber ? t("customers.credit.order", { number: e.orderNumber }) : e.note || "—"),
        h("td", { class: "num" }, `${Number(e.amount.amount) > 0 ? "+" : ""}${money(e.amount)}`),
        h("td", { class: "num" }, money(e.balanceAfter)))))))
    : h("p", { class: "empty" }, t("customers.credit.empty"));
  return panel(t("customers.credit"), [balances, form, history]);
}

function ordersPanel(c) {
  const orders = c.orders.nodes;
  const body = orders.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("customers.order.number")),
        h("th", { scope: "col" }, t("customers.order.placed")),
        h("th", { scope: "col" }, t("customers.order.status")),
        h("th", { scope: "col", class: "num" }, t("customers.order.total")))),
      h("tbody", {}, orders.map((o) => h("tr", {},
        h("td", {}, h("a", { href: href("orders", [o.id]) }, o.number)),
        h("td", {}, dateTime(o.placedAt)),
        h("td", {}, badge(o.status)),
        h("td", { class: "num" }, money(o.total)))))))
    : h("p", { class: "empty" }, t("customers.orders.empty"));
  const more = c.orders.totalCount > orders.length ? h("p", { class: "muted" }, t("customers.orders.more", { n: number(c.orders.totalCount) })) : null;
  return panel(t("customers.orders"), [body, more]);
}

function addressesPanel(c) {
  const body = c.addresses.length
    ? h("ul", { class: "address-list" }, c.addresses.map((a) => h("li", {},
      h("div", {}, h("strong", {}, a.fullName), a.isDefault ? [" ", badge("DEFAULT", { label: t("customers.defaultAddress"), tone: "info" })] : null),
      a.company ? h("div", {}, a.company) : null,
      h("div", {}, [a.line1, a.line2].filter(Boolean).join(", ")),
      h("div", {}, [a.postalCode, a.city, a.region].filter(Boolean).join(" ")),
      h("div", {}, countryName(a.country)),
      a.phone ? h("div", { class: "muted" }, a.phone) : null)))
    : h("p", { class: "empty" }, t("customers.addresses.empty"));
  return panel(t("customers.addresses"), body);
}
