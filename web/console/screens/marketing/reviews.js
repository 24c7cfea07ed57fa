// Marketing › reviews: the moderation queue (pending reviews by default, oldest first), each
// with approve and reject; a rejection may carry a note for the author.

import { h } from "../../../lib/dom.js";
import { field } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { mutate } from "../../api.js";
import { href } from "../../routes.js";
import { dateTime } from "../../ui/format.js";
import { serverList } from "../../ui/list.js";
import { badge, button, confirmDialog, toast } from "../../ui/page.js";
import { sectionHead } from "./common.js";

const LIST = `query ConsoleReviews($first: Int, $after: String, $last: Int, $before: String, $filter: ReviewFilter) {
  reviews(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id rating title body status createdAt authorName moderationNote moderatedAt product { id name } }
  }
}`;

const MODERATED = "review { id status } errors { field code message }";
const APPROVE = `mutation ConsoleModerateReview($input: ApproveReviewInput!) {
  approveReview(input: $input) { ${MODERATED} }
}`;
const REJECT = `mutation ConsoleModerateReview($input: RejectReviewInput!) {
  rejectReview(input: $input) { ${MODERATED} }
}`;

// The address keeps `status`; none means the pending queue, "ANY" every review.
const statusOf = (p) => {
  const s = p.get("status") || "PENDING";
  return s === "ANY" ? null : s;
};

export function show(view, ctx) {
  let list = null;
  const moderate = async (review, approve, cell) => {
    let note = "";
    if (!approve) {
      const text = h("textarea", { class: "input", name: "note", maxlength: 300, rows: 3 });
      const ok = await confirmDialog({
        title: t("reviews.reject.title"),
        body: field(t("reviews.note"), text, { optional: true, hint: t("reviews.noteHint") }),
        confirmLabel: t("reviews.reject"),
        danger: true,
      });
      if (!ok) return;
      note = text.value.trim();
    }
    const payload = await mutate(cell, approve ? APPROVE : REJECT, { input: { id: review.id, note } });
    if (payload) {
      toast(approve ? t("reviews.approved") : t("reviews.rejected"));
      list.reload();
    }
  };
  const actions = (r) => {
    const cell = h("div", { class: "actions" });
    if (r.status !== "APPROVED") cell.append(button(t("reviews.approve"), () => moderate(r, true, cell), { kind: "small" }));
    if (r.status !== "REJECTED") cell.append(button(t("reviews.reject"), () => moderate(r, false, cell), { kind: "secondary button-small" }));
    return cell;
  };
  list = serverList({
    ctx,
    query: LIST,
    pick: (d) => d.reviews,
    label: t("marketing.reviews"),
    empty: ctx.params.get("status") ? t("list.empty") : t("reviews.empty"),
    variables: (p) => ({ filter: { status: statusOf(p), rating: p.get("rating") ? Number(p.get("rating")) : null } }),
    filters: [
      { name: "status", label: t("reviews.status"), type: "select", allLabel: t("status.PENDING"),
        options: [["APPROVED", t("status.APPROVED")], ["REJECTED", t("status.REJECTED")], ["ANY", t("all")]] },
      { name: "rating", label: t("reviews.rating"), type: "select", options: [5, 4, 3, 2, 1].map((n) => [String(n), "★".repeat(n)]) },
    ],
    columns: [
      { label: t("reviews.product"), cell: (r) => (r.product ? h("a", { href: href("catalog", ["products", r.product.id]) }, r.product.name) : "—") },
      { label: t("reviews.rating"), cell: (r) => h("span", { class: "stars", "aria-label": t("reviews.stars", { n: r.rating }) }, "★".repeat(r.rating) + "☆".repeat(5 - r.rating)) },
      { label: t("reviews.review"), cell: (r) => h("div", { class: "review-text" }, r.title ? h("strong", {}, r.title) : null, h("p", {}, r.body),
        r.moderationNote ? h("p", { class: "muted" }, t("reviews.noteShown", { note: r.moderationNote })) : null) },
      { label: t("reviews.author"), cell: (r) => r.authorName || "—" },
      { label: t("reviews.written"), cell: (r) => dateTime(r.createdAt) },
      { label: t("reviews.status"), cell: (r) => badge(r.status) },
      { label: "", cell: actions },
    ],
  });
  view.replaceChildren(...sectionHead(ctx), list);
}
