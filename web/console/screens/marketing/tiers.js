// Marketing › membership tiers: the tiers by rank with their thresholds and benefits, a form
// to add one, and each tier's form to edit or delete it (`#/marketing/tiers/<id>`). A member's
// tier is recomputed from the customer's page.

import { h } from "../../../lib/dom.js";
import { field, formActions, formValues, input, submitButton } from "../../../lib/forms.js";

import { t } from "../../../lib/i18n.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { money, number } from "../../ui/format.js";
import { panel, state, toast } from "../../ui/page.js";
import { check, decimalOrNull, deleteButton, intOrNull, sectionHead, table } from "./common.js";

const LIST = `query ConsoleTiers {
  membershipTiers(first: 50) {
    nodes { id name rank minOrders discountRate pointsMultiplier earlyAccess prioritySupport
      minSpendInShopCurrency { amount currency } }
  }
}`;

const CREATE = `mutation ConsoleCreateTier($input: CreateMembershipTierInput!) {
  createMembershipTier(input: $input) { tier { id } errors { field code message } }
}`;
const UPDATE = `mutation ConsoleUpdateTier($input: UpdateMembershipTierInput!) {
  updateMembershipTier(input: $input) { tier { id } errors { field code message } }
}`;
const DELETE = `mutation ConsoleDeleteTier($input: LoyaltyIdInput!) {
  deleteMembershipTier(input: $input) { deletedId errors { field code message } }
}`;

export async function show(view, ctx) {
  let tiers;
  try {
    tiers = (await gql(LIST)).membershipTiers.nodes;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const id = ctx.rest[0];
  if (id) {
    const tier = tiers.find((x) => x.id === id);
    const back = [href("marketing", ["tiers"]), t("marketing.tiers")];
    if (!tier) return view.replaceChildren(...sectionHead(ctx, t("tiers.notFound"), { crumb: back }));
    const del = deleteButton("tiers", DELETE, id);
    return view.replaceChildren(...sectionHead(ctx, tier.name, { crumb: back, actions: [del] }),
      panel(null, tierForm(tier, () => show(view, ctx))));
  }
  const rows = tiers.length
    ? table([
      { label: t("tiers.rank"), cell: (x) => number(x.rank), num: true },
      { label: t("tiers.name"), cell: (x) => h("a", { href: href("marketing", ["tiers", x.id]) }, x.name) },
      { label: t("tiers.minSpend"), cell: (x) => money(x.minSpendInShopCurrency), num: true },
      { label: t("tiers.minOrders"), cell: (x) => number(x.minOrders), num: true },
      { label: t("tiers.discountRate"), cell: (x) => `${x.discountRate}%`, num: true },
      { label: t("tiers.pointsMultiplier"), cell: (x) => `×${x.pointsMultiplier}`, num: true },
      { label: t("tiers.perks"), cell: (x) => [x.earlyAccess ? t("tiers.earlyAccess") : null, x.prioritySupport ? t("tiers.prioritySupport") : null].filter(Boolean).join(" · ") || "—" },
    ], tiers, { "aria-label": t("marketing.tiers") })
    : h("p", { class: "empty" }, t("tiers.empty"));
  view.replaceChildren(...sectionHead(ctx), panel(t("marketing.tiers"), rows),
    panel(t("tiers.new"), tierForm(null, () => show(view, ctx))));
}

function tierForm(tier, done) {
  const x = tier || {};
  const form = h("form", { class: "form", dataset: { edit: "" }, "aria-label": tier ? t("tiers.edit") : t("tiers.new") },
    field(t("tiers.name"), input({ name: "name", value: x.name || "", required: true, maxlength: 60 })),
    field(t("tiers.rank"), input({ name: "rank", type: "number", step: 1, value: x.rank ?? "", required: true }), { hint: t("tiers.rankHint") }),
    field(t("tiers.minSpend"), input({ name: "minSpend", value: x.minSpendInShopCurrency?.amount ?? "0", inputmode: "decimal" }), { hint: t("tiers.minSpendHint") }),
    field(t("tiers.minOrders"), input({ name: "minOrders", type: "number", min: 0, step: 1, value: x.minOrders ?? 0 })),
    field(t("tiers.discountRate"), input({ name: "discountRate", value: x.discountRate ?? "0", inputmode: "decimal" }), { hint: t("tiers.discountHint") }),
    field(t("tiers.pointsMultiplier"), input({ name: "pointsMultiplier", value: x.pointsMultiplier ?? "1", inputmode: "decimal" })),
    check(t("tiers.earlyAccess"), "earlyAccess", x.earlyAccess),
    check(t("tiers.prioritySupport"), "prioritySupport", x.prioritySupport),
    formActions(submitButton(tier ? t("save") : t("tiers.create"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const values = {
      name: v.name,
      rank: intOrNull(v.rank) ?? 0,
      minSpend: decimalOrNull(v.minSpend) ?? "0",
      minOrders: intOrNull(v.minOrders) ?? 0,
      discountRate: decimalOrNull(v.discountRate) ?? "0",
      pointsMultiplier: decimalOrNull(v.pointsMultiplier) ?? "1",
      earlyAccess: !!v.earlyAccess,
      prioritySupport: !!v.prioritySupport,
    };
    for (const name of ["rank", "minOrders"]) if (Number.isNaN(values[name])) values[name] = -1;
    const payload = tier
      ? await mutate(form, UPDATE, { input: { id: tier.id, ...values } })
      : await mutate(form, CREATE, { input: values });
    if (payload) {
      toast(tier ? t("saved") : t("tiers.created"));
      done();
    }
  });
  return form;
}
