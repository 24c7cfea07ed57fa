// Loyalty on the account page: the member card (tier and points), the daily check-in, the
// points ledger, and rewards redeemed for points.

import { h } from "../lib/dom.js";
import { formatDate, plural, t, uiLocale } from "../lib/i18n.js";
import { mutate } from "../shop/api.js";
import { panel } from "../shop/ui.js";

const MEMBER_ERRORS = "errors { field code message }";
const LOYALTY = {
  checkIn: `mutation CheckIn { checkIn { checkIn { streak points } ${MEMBER_ERRORS} } }`,
  redeemReward: `mutation Redeem($input: RedeemRewardInput!) {
    redeemReward(input: $input) { redemption { reward { name } coupon { code } } ${MEMBER_ERRORS} } }`,
};

export function memberPanel(me) {
  const name = me.nickname || me.email || me.phone || "";
  const expiring = me.pointsExpiringSoon;
  return h("section", { class: "panel member", "aria-label": t("profile") },
    me.avatarUrl
      ? h("img", { class: "avatar", src: me.avatarUrl, alt: "", width: 64, height: 64 })
      : h("span", { class: "avatar", "aria-hidden": "true" }, [...name][0]?.toLocaleUpperCase(uiLocale) || "?"),
    h("p", { class: "member-name" }, name),
    h("p", { class: "member-login" }, [me.email, me.phone].filter(Boolean).join(" · ")),
    h("p", { class: "member-tier" }, me.tier ? h("span", { class: "badge badge-tier" }, me.tier.name) : t("noTier")),
    h("p", { class: "member-points" },
      h("strong", {}, me.pointsBalance.toLocaleString(uiLocale)), " ", t("pointsLabel")),
    expiring
      ? h("p", { class: "member-expiry" },
          t("expiring", { points: plural("points", expiring.amount), date: formatDate(expiring.expiresAt) }))
      : null);
}

export function checkInPanel({ me, reload, flashFor }) {
  const status = me.checkInStatus;
  const section = panel("check-in", t("dailyCheckIn"),
    status.streak ? h("p", { class: "check-in-streak" }, plural("streak", status.streak)) : null,
    status.checkedInToday
      ? h("p", { class: "muted" }, t("checkedInToday", { n: status.nextPoints }))
      : h("button", {
          type: "button",
          class: "button",
          onclick: async () => {
            const payload = await mutate(section, LOYALTY.checkIn);
            if (payload) reload({
              panel: "check-in",
              text: t("checkedIn", { points: plural("points", payload.checkIn.points), streak: plural("streak", payload.checkIn.streak) }),
            });
          },
        }, t("checkInFor", { n: status.nextPoints })),
    flashFor("check-in"));
  return section;
}

export function pointsPanel(me) {
  const entries = me.pointsEntries.nodes;
  const signed = new Intl.NumberFormat(uiLocale, { signDisplay: "exceptZero" });
  return panel("points", t("recentPoints"), entries.length
    ? h("ul", { class: "rows" }, entries.map((e) =>
        h("li", { class: "row" },
          h("span", { class: "row-main" }, t(`kind.${e.kind}`), e.note ? h("span", { class: "row-note" }, e.note) : null),
          h("time", { class: "row-date", datetime: e.createdAt }, formatDate(e.createdAt)),
          h("span", { class: `row-amount ${e.amount < 0 ? "is-spent" : "is-earned"}` }, signed.format(e.amount)))))
    : h("p", { class: "muted" }, t("noPoints")));
}

export function rewardsPanel({ me, reload, flashFor }, rewards) {
  const section = panel("rewards", t("rewards"),
    flashFor("rewards"),
    rewards.length
      ? h("ul", { class: "rewards" }, rewards.map((r) => {
          const short = r.pointsCost - me.pointsBalance;
          return h("li", { class: "reward" },
            h("p", { class: "reward-name" }, r.name),
            r.description ? h("p", { class: "reward-text" }, r.description) : null,
            h("p", { class: "reward-cost" }, plural("points", r.pointsCost),
              r.stock !== null ? h("span", { class: "row-note" }, t("left", { n: r.stock.toLocaleString(uiLocale) })) : null),
            h("button", {
              type: "button",
              class: "button button-secondary",
              disabled: !r.available || short > 0,
              onclick: async () => {
                if (!confirm(t("confirmRedeem", { name: r.name, points: plural("points", r.pointsCost) }))) return;
                const payload = await mutate(section, LOYALTY.redeemReward, { input: { rewardId: r.id } });
                const code = payload?.redemption?.coupon?.code;
                if (payload) reload({ panel: "rewards", text: code ? t("couponCode", { code }) : t("redeemed", { name: r.name }) });
              },
            }, t("redeem")),
            !r.available ? h("p", { class: "muted" }, t("unavailable"))
              : short > 0 ? h("p", { class: "muted" }, t("needMore", { points: plural("points", short) })) : null);
        }))
      : h("p", { class: "muted" }, t("noRewards")));
  return section;
}
