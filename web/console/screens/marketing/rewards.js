// Marketing › rewards: what members spend points on (add, edit, delete at
// `#/marketing/rewards/<id>`), and the members' redemptions to fulfil or cancel.

import { h } from "../../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../../lib/forms.js";

import { t } from "../../../lib/i18n.js";
import { can, gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { dateTime, number } from "../../ui/format.js";
import { serverList } from "../../ui/list.js";
import { badge, button, confirmDialog, panel, state, toast } from "../../ui/page.js";
import { check, deleteButton, intOrNull, sectionHead, table } from "./common.js";

const REWARD = "id name description kind pointsCost stock active available couponTemplateId";
const LIST = `query ConsoleRewards { rewards(first: 100) { nodes { ${REWARD} } } }`;
// Coupon rewards copy a coupon; the coupons are listed for members who may read them.
const COUPONS = `query ConsoleRewardCoupons { coupons(first: 100) { nodes { id code name } } }`;

const REDEMPTIONS = `query ConsoleRedemptions($first: Int, $after: String, $last: Int, $before: String, $status: RedemptionStatus) {
  rewardRedemptions(first: $first, after: $after, last: $last, before: $before, status: $status) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id points status createdAt userId reward { id name kind } coupon { code } }
  }
}`;

const CREATE = `mutation ConsoleCreateReward($input: CreateRewardInput!) {
  createReward(input: $input) { reward { id } errors { field code message } }
}`;
const UPDATE = `mutation ConsoleUpdateReward($input: UpdateRewardInput!) {
  updateReward(input: $input) { reward { id } errors { field code message } }
}`;
const DELETE = `mutation ConsoleDeleteReward($input: LoyaltyIdInput!) {
  deleteReward(input: $input) { reward { id active } errors { field code message } }
}`;
const REDEMPTION = {
  fulfillRedemption: `mutation ConsoleRedemption($input: LoyaltyIdInput!) {
  fulfillRedemption(input: $input) { redemption { id status } errors { field code message } }
}`,
  cancelRedemption: `mutation ConsoleRedemption($input: LoyaltyIdInput!) {
  cancelRedemption(input: $input) { redemption { id status } errors { field code message } }
}`,
};

export async function show(view, ctx) {
  let rewards;
  let coupons = [];
  try {
    rewards = (await gql(LIST)).rewards.nodes;
    if (can("CATALOG")) coupons = (await gql(COUPONS)).coupons.nodes;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const id = ctx.rest[0];
  if (id) {
    const reward = rewards.find((r) => r.id === id);
    const back = [href("marketing", ["rewards"]), t("marketing.rewards")];
    if (!reward) return view.replaceChildren(...sectionHead(ctx, t("rewards.notFound"), { crumb: back }));
    const del = deleteButton("rewards", DELETE, id);
    return view.replaceChildren(...sectionHead(ctx, reward.name, { crumb: back, actions: [del] }),
      panel(null, rewardForm(reward, coupons, () => show(view, ctx))));
  }
  const rows = rewards.length
    ? table([
      { label: t("rewards.name"), cell: (r) => h("a", { href: href("marketing", ["rewards", r.id]) }, r.name) },
      { label: t("rewards.kind"), cell: (r) => t(`rewards.kind.${r.kind}`) },
      { label: t("rewards.pointsCost"), cell: (r) => number(r.pointsCost), num: true },
      { label: t("rewards.stock"), cell: (r) => (r.stock === null ? t("rewards.unlimited") : number(r.stock)), num: true },
      { label: t("rewards.status"), cell: (r) => (r.active ? badge("ACTIVE", { label: t("rewards.active") }) : badge("DISABLED", { label: t("rewards.inactive") })) },
    ], rewards, { "aria-label": t("marketing.rewards") })
    : h("p", { class: "empty" }, t("rewards.empty"));

  let redemptions = null;
  const act = async (r, name, cell) => {
    if (name === "cancelRedemption") {
      const ok = await confirmDialog({ title: t("rewards.cancel.title"), text: t("rewards.cancel.text"), confirmLabel: t("rewards.cancelRedemption"), danger: true });
      if (!ok) return;
    }
    if (await mutate(cell, REDEMPTION[name], { input: { id: r.id } })) {
      toast(name === "fulfillRedemption" ? t("rewards.fulfilled") : t("rewards.cancelled"));
      redemptions.reload();
    }
  };
  redemptions = serverList({
    ctx,
    query: REDEMPTIONS,
    pick: (d) => d.rewardRedemptions,
    label: t("rewards.redemptions"),
    variables: (p) => ({ status: p.get("status") || null }),
    filters: [{ name: "status", label: t("rewards.status"), type: "select",
      options: ["ISSUED", "FULFILLED", "CANCELLED"].map((s) => [s, t(`status.${s}`)]) }],
    columns: [
      { label: t("rewards.redeemed"), cell: (r) => dateTime(r.createdAt) },
      { label: t("rewards.name"), cell: (r) => r.reward.name },
      { label: t("rewards.member"), cell: (r) => h("a", { href: href("customers", [r.userId]) }, t("rewards.viewMember")) },
      { label: t("rewards.points"), cell: (r) => number(r.points), num: true },
      { label: t("rewards.coupon"), cell: (r) => (r.coupon ? h("span", { class: "mono" }, r.coupon.code) : "—") },
      { label: t("rewards.status"), cell: (r) => badge(r.status) },
      { label: "", cell: (r) => {
        const cell = h("div", { class: "actions" });
        if (r.status !== "ISSUED") return cell;
        if (r.reward.kind === "GIFT") cell.append(button(t("rewards.fulfil"), () => act(r, "fulfillRedemption", cell), { kind: "small" }));
        cell.append(button(t("rewards.cancelRedemption"), () => act(r, "cancelRedemption", cell), { kind: "secondary button-small" }));
        return cell;
      } },
    ],
  });
  view.replaceChildren(...sectionHead(ctx), panel(t("marketing.rewards"), rows),
    panel(t("rewards.redemptions"), redemptions),
    panel(t("rewards.new"), rewardForm(null, coupons, () => show(view, ctx))));
}

function rewardForm(reward, coupons, done) {
  const r = reward || {};
  const kind = select("kind", ["GIFT", "COUPON"].map((k) => [k, t(`rewards.kind.${k}`)]), r.kind || "GIFT");
  const template = coupons.length
    ? select("couponTemplateId", [["", t("none")], ...coupons.map((c) => [c.id, `${c.code}${c.name ? ` · ${c.name}` : ""}`])], r.couponTemplateId || "")
    : input({ name: "couponTemplateId", value: r.couponTemplateId || "", maxlength: 100 });
  const form = h("form", { class: "form", dataset: { edit: "" }, "aria-label": reward ? t("rewards.edit") : t("rewards.new") },
    field(t("rewards.name"), input({ name: "name", value: r.name || "", required: true, maxlength: 120 })),
    field(t("rewards.kind"), kind),
    field(t("rewards.pointsCost"), input({ name: "pointsCost", type: "number", min: 1, step: 1, value: r.pointsCost ?? "", required: true })),
    field(t("rewards.stock"), input({ name: "stock", type: "number", min: 0, step: 1, value: r.stock ?? "" }), { optional: true, hint: t("rewards.stockHint") }),
    field(t("rewards.couponTemplate"), template, { hint: t("rewards.couponTemplateHint") }),
    field(t("rewards.description"), h("textarea", { class: "input", name: "description", maxlength: 1000, rows: 2 }, r.description || ""), { optional: true, wide: true }),
    check(t("rewards.active"), "active", reward ? r.active : true),
    formActions(submitButton(reward ? t("save") : t("rewards.create"))));
  const applies = () => {
    template.closest(".field").hidden = kind.value !== "COUPON";
  };
  kind.addEventListener("change", applies);
  applies();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const values = {
      name: v.name,
      kind: v.kind,
      pointsCost: intOrNull(v.pointsCost) ?? 0,
      stock: intOrNull(v.stock),
      description: v.description || "",
      couponTemplateId: v.kind === "COUPON" ? v.couponTemplateId || null : null,
      active: !!v.active,
    };
    for (const name of ["pointsCost", "stock"]) if (Number.isNaN(values[name])) values[name] = -1;
    const payload = reward
      ? await mutate(form, UPDATE, { input: { id: reward.id, ...values } })
      : await mutate(form, CREATE, { input: values });
    if (payload) {
      toast(reward ? t("saved") : t("rewards.created"));
      done();
    }
  });
  return form;
}
