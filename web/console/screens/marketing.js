// The marketing screen: coupons and review moderation (catalog permission), membership tiers
// and rewards with their redemptions (customers permission). Each section is a segment
// (`#/marketing/coupons`, `#/marketing/reviews/…`) drawn by a module of marketing/, and only
// the sections the member may use are offered.

import { h } from "../../lib/dom.js";
import { navigate } from "../../lib/router.js";
import { t } from "../../lib/i18n.js";
import { can } from "../api.js";
import { href } from "../routes.js";
import "./marketing/messages.js";

const SECTIONS = [
  { name: "coupons", needs: "CATALOG", load: () => import("./marketing/coupons.js") },
  { name: "reviews", needs: "CATALOG", load: () => import("./marketing/reviews.js") },
  { name: "tiers", needs: "CUSTOMERS", load: () => import("./marketing/tiers.js") },
  { name: "rewards", needs: "CUSTOMERS", load: () => import("./marketing/rewards.js") },
];

/** The section tabs; the shown one marked. */
export function sectionTabs(current) {
  return h("nav", { class: "tabs", "aria-label": t("nav.marketing") },
    SECTIONS.filter((s) => can(s.needs)).map((s) =>
      h("a", { href: href("marketing", [s.name]), "aria-current": s.name === current ? "page" : null, dataset: { section: s.name } },
        t(`marketing.${s.name}`))));
}

export async function show(view, ctx) {
  const allowed = SECTIONS.filter((s) => can(s.needs));
  const section = allowed.find((s) => s.name === ctx.segments[0]);
  if (!section) {
    navigate(href("marketing", [allowed[0].name]));
    return;
  }
  const module = await section.load();
  if (!ctx.current()) return;
  // `rest`: the segments after the section; `segments` stay whole so that lists keep their address.
  await module.show(view, { ...ctx, rest: ctx.segments.slice(1), tabs: sectionTabs(section.name) });
}
