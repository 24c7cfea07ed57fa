// Marketing › coupons: the list (search, active or not), and a coupon's form to create or
// edit it (`#/marketing/coupons/new`, `#/marketing/coupons/<id>`), with deactivate and delete.

import { h } from "../../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../../lib/forms.js";
import { navigate } from "../../../lib/router.js";
import { t } from "../../../lib/i18n.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { dateTime, number } from "../../ui/format.js";
import { serverList } from "../../ui/list.js";
import { badge, button, confirmDialog, panel, state, toast } from "../../ui/page.js";
import { check, decimalOrNull, deleteButton, intOrNull, isoOrNull, localValue, sectionHead } from "./common.js";

const FIELDS = `id code name kind percent startsAt endsAt usageLimit perCustomerLimit timesUsed
  eligibleTierIds ownerId active createdAt explanation
  amount { amount currency } maxDiscount { amount currency } minSpend { amount currency }`;

const LIST = `query ConsoleCoupons($first: Int, $after: String, $last: Int, $before: String, $filter: CouponFilter) {
  coupons(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { ${FIELDS} }
  }
}`;

const ONE = `query ConsoleCoupon($id: ID!) {
  coupon(id: $id) { ${FIELDS} }
  membershipTiers(first: 50) { nodes { id name } }
}`;

const TIERS = `query ConsoleCouponTiers { membershipTiers(first: 50) { nodes { id name } } }`;

const CREATE = `mutation ConsoleCreateCoupon($input: CreateCouponInput!) {
  createCoupon(input: $input) { coupon { id } errors { field code message } }
}`;
const UPDATE = `mutation ConsoleUpdateCoupon($input: UpdateCouponInput!) {
  updateCoupon(input: $input) { coupon { id } errors { field code message } }
}`;
const DEACTIVATE = `mutation ConsoleDeactivateCoupon($input: DeactivateCouponInput!) {
  deactivateCoupon(input: $input) { coupon { id active } errors { field code message } }
}`;
const DELETE = `mutation ConsoleDeleteCoupon($input: DeleteCouponInput!) {
  deleteCoupon(input: $input) { deletedId errors { field code message } }
}`;

const KINDS = ["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"];

export async function show(view, ctx) {
  const id = ctx.rest[0];
  if (id) return showCoupon(view, ctx, id === "new" ? null : id);
  const list = serverList({
    ctx,
    query: LIST,
    pick: (d) => d.coupons,
    label: t("marketing.coupons"),
    variables: (p) => ({ filter: { search: p.get("q") || null, active: p.get("active") ? p.get("active") === "1" : null } }),
    filters: [
      { name: "q", label: t("search"), type: "search", placeholder: t("coupons.searchHint") },
      { name: "active", label: t("coupons.active"), type: "select", options: [["1", t("coupons.active.yes")], ["0", t("coupons.active.no")]] },
    ],
    columns: [
      { label: t("coupons.code"), cell: (c) => h("span", { class: "mono" }, c.code) },
      { label: t("coupons.name"), cell: (c) => c.name || "—" },
      { label: t("coupons.gives"), cell: (c) => c.explanation },
      { label: t("coupons.window"), cell: (c) => window_(c) },
      { label: t("coupons.used"), cell: (c) => (c.usageLimit ? `${number(c.timesUsed)} / ${number(c.usageLimit)}` : number(c.timesUsed)), num: true },
      { label: t("coupons.status"), cell: (c) => (c.active ? badge("ACTIVE", { label: t("coupons.active.yes") }) : badge("DISABLED", { label: t("coupons.active.no") })) },
    ],
    rowHref: (c) => href("marketing", ["coupons", c.id]),
  });
  const create = h("a", { class: "button", href: href("marketing", ["coupons", "new"]) }, t("coupons.new"));
  view.replaceChildren(...sectionHead(ctx, t("nav.marketing"), { actions: [create] }), list);
}

function window_(c) {
  if (!c.startsAt && !c.endsAt) return t("coupons.always");
  return `${c.startsAt ? dateTime(c.startsAt) : "…"} – ${c.endsAt ? dateTime(c.endsAt) : "…"}`;
}

async function showCoupon(view, ctx, id) {
  let coupon = null;
  let tiers = [];
  try {
    const data = id ? await gql(ONE, { id }) : await gql(TIERS);
    coupon = data.coupon ?? null;
    tiers = data.membershipTiers.nodes;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const back = [href("marketing", ["coupons"]), t("marketing.coupons")];
  if (id && !coupon) return view.replaceChildren(...sectionHead(ctx, t("coupons.notFound"), { crumb: back }));
  const c = coupon || {};

  const kind = select("kind", KINDS.map((k) => [k, t(`coupons.kind.${k}`)]), c.kind || "PERCENTAGE");
  const form = h("form", { class: "form", dataset: { edit: "" }, "aria-label": t("coupons.form") },
    field(t("coupons.code"), input({ name: "code", value: c.code || "", required: true, maxlength: 40, autocapitalize: "characters", class: "input mono" }),
      { hint: t("coupons.codeHint") }),
    field(t("coupons.name"), input({ name: "name", value: c.name || "", maxlength: 120 }), { optional: true }),
    field(t("coupons.kind"), kind),
    field(t("coupons.percent"), input({ name: "percent", value: c.percent ?? "", inputmode: "decimal" }), { hint: t("coupons.percentHint") }),
    field(t("coupons.amount"), input({ name: "amount", value: c.amount?.amount ?? "", inputmode: "decimal" })),
    field(t("coupons.maxDiscount"), input({ name: "maxDiscount", value: c.maxDiscount?.amount ?? "", inputmode: "decimal" }), { optional: true }),
    field(t("coupons.minSpend"), input({ name: "minSpend", value: c.minSpend?.amount ?? "", inputmode: "decimal" }), { optional: true }),
    field(t("coupons.startsAt"), input({ name: "startsAt", type: "datetime-local", value: localValue(c.startsAt) }), { optional: true }),
    field(t("coupons.endsAt"), input({ name: "endsAt", type: "datetime-local", value: localValue(c.endsAt) }), { optional: true }),
    field(t("coupons.usageLimit"), input({ name: "usageLimit", type: "number", min: 1, step: 1, value: c.usageLimit ?? "" }), { optional: true }),
    field(t("coupons.perCustomerLimit"), input({ name: "perCustomerLimit", type: "number", min: 1, step: 1, value: c.perCustomerLimit ?? "" }), { optional: true }),
    tiers.length
      ? h("fieldset", { class: "field field-wide tier-choices" },
        h("legend", {}, t("coupons.tiers")),
        h("p", { class: "field-hint" }, t("coupons.tiersHint")),
        tiers.map((tier) => check(tier.name, "eligibleTiers", (c.eligibleTierIds || []).includes(tier.id))))
      : null,
    check(t("coupons.active.yes"), "active", coupon ? c.active : true),
    formActions(submitButton(id ? t("save") : t("coupons.create"))));
  // Which amount fields apply follows the kind.
  const applies = () => {
    const k = kind.value;
    for (const [name, shown] of [["percent", k === "PERCENTAGE"], ["maxDiscount", k === "PERCENTAGE"], ["amount", k === "FIXED_AMOUNT"]])
      form.querySelector(`[name="${name}"]`).closest(".field").hidden = !shown;
  };
  kind.addEventListener("change", applies);
  applies();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const tierBoxes = [...form.querySelectorAll('[name="eligibleTiers"]')];
    const input_ = {
      code: v.code,
      kind: v.kind,
      name: v.name || "",
      percent: v.kind === "PERCENTAGE" ? decimalOrNull(v.percent) : null,
      amount: v.kind === "FIXED_AMOUNT" ? decimalOrNull(v.amount) : null,
      maxDiscount: v.kind === "PERCENTAGE" ? decimalOrNull(v.maxDiscount) : null,
      minSpend: decimalOrNull(v.minSpend),
      startsAt: isoOrNull(v.startsAt),
      endsAt: isoOrNull(v.endsAt),
      usageLimit: intOrNull(v.usageLimit),
      perCustomerLimit: intOrNull(v.perCustomerLimit),
      eligibleTiers: tierBoxes.map((box, i) => (box.checked ? tiers[i].id : null)).filter(Boolean),
      active: !!v.active,
    };
    for (const name of ["usageLimit", "perCustomerLimit"]) {
      if (Number.isNaN(input_[name])) input_[name] = -1; // not a whole number: the API says why
    }
    const payload = id
      ? await mutate(form, UPDATE, { input: { id, ...input_ } })
      : await mutate(form, CREATE, { input: input_ });
    if (!payload) return;
    toast(id ? t("saved") : t("coupons.created"));
    navigate(href("marketing", ["coupons", payload.coupon.id]));
    if (id) showCoupon(view, ctx, id);
  });

  const actions = [];
  if (coupon) {
    if (coupon.active) actions.push(button(t("coupons.deactivate"), () => deactivate(view, ctx, coupon), { kind: "secondary" }));
    actions.push(deleteButton("coupons", DELETE, coupon.id));
  }
  const usage = coupon ? h("p", { class: "muted" }, t("coupons.usedTimes", { n: number(coupon.timesUsed) }), " · ", coupon.explanation) : null;
  view.replaceChildren(
    ...sectionHead(ctx, coupon ? coupon.code : t("coupons.new"), { crumb: back, actions }),
    panel(null, [usage, form]));
}

async function deactivate(view, ctx, coupon) {
  const ok = await confirmDialog({ title: t("coupons.deactivate.title"), text: t("coupons.deactivate.text"), confirmLabel: t("coupons.deactivate") });
  if (!ok) return;
  const payload = await mutate(document.querySelector(".page-head"), DEACTIVATE, { input: { id: coupon.id } });
  if (payload) {
    toast(t("coupons.deactivated"));
    showCoupon(view, ctx, coupon.id);
  }
}

