// A parcel's tracking as the shopper sees it: its status in words with a tone (trouble stands
// out), the estimated delivery date, and its events newest first at the carrier's local time.

import { h } from "../lib/dom.js";
import { countryName, formatDateTime, formatDay, t, uiLocale } from "../lib/i18n.js";

/** The `Tracked` fields a parcel is read with, on the order page and in its live updates. */
export const TRACKED_FIELDS = `
  trackingStatus trackingSubStatus statusSince estimatedDelivery
  deliveryEstimates { estimatedDate }
  trackingEvents { id occurredAt utcOffsetMinutes status subStatus message location { city region country } }`;

// Trouble the shopper may have to act on or wait out (the API's `needsAttention` rules,
// without staff's "handled" mark, which is none of the shopper's business).
const TROUBLE = new Set(["EXCEPTION", "ATTEMPT_FAILED", "EXPIRED", "RETURNING"]);
const CUSTOMS_TROUBLE = new Set(["CUSTOMS_DUTIES_DUE", "CUSTOMS_DOCUMENTS_MISSING", "CUSTOMS_HELD"]);
const DONE = new Set(["DELIVERED"]);
const STOPPED = new Set(["RETURNED", "CANCELLED"]);

/** "alert", "done", "stopped" or "moving": how a parcel in this state is shown. */
export function trackingTone(status, subStatus) {
  if (TROUBLE.has(status) || (status === "IN_CUSTOMS" && CUSTOMS_TROUBLE.has(subStatus))) return "alert";
  if (DONE.has(status)) return "done";
  if (STOPPED.has(status)) return "stopped";
  return "moving";
}

/** The status in words, the sub-status's plain words when it has one. */
export const trackingLabel = (status, subStatus) =>
  subStatus ? t(`tracking.sub.${subStatus}`) : t(`tracking.status.${status}`);

const pad = (n) => String(n).padStart(2, "0");

/** "UTC+08:00", "UTC−05:30", "UTC" for an offset in minutes. */
export function offsetText(minutes) {
  if (!minutes) return "UTC";
  const sign = minutes > 0 ? "+" : "−";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * When an event happened, at the place it happened as the carrier gave it (the instant
 * shifted by its UTC offset, with the offset shown); in the browser's time when none was given.
 */
export function carrierTime(occurredAt, utcOffsetMinutes) {
  if (utcOffsetMinutes === null || utcOffsetMinutes === undefined) return formatDateTime(occurredAt);
  const local = new Date(new Date(occurredAt).getTime() + utcOffsetMinutes * 60_000);
  const text = new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(local);
  return `${text} (${offsetText(utcOffsetMinutes)})`;
}

function place(location) {
  if (!location) return "";
  return [location.city, location.region, location.country ? countryName(location.country) : null].filter(Boolean).join(", ");
}

function estimate(parcel) {
  if (!parcel.estimatedDelivery || DONE.has(parcel.trackingStatus) || STOPPED.has(parcel.trackingStatus)) return null;
  const revised = (parcel.deliveryEstimates || []).length > 1;
  return h("p", { class: "parcel-estimate" },
    t("tracking.estimated", { date: formatDay(parcel.estimatedDelivery) }),
    revised ? h("span", { class: "badge parcel-revised" }, t("tracking.revised")) : null);
}

/** The tracking of one parcel: its status, estimated delivery and timeline, newest first. */
export function parcelTracking(parcel) {
  const status = parcel.trackingStatus || "PENDING";
  const tone = trackingTone(status, parcel.trackingSubStatus);
  const events = [...(parcel.trackingEvents || [])].reverse();
  return h("div", { class: "parcel-tracking", "data-status": status },
    h("p", { class: `parcel-status tone-${tone}` },
      h("span", { class: "badge parcel-badge" }, t(`tracking.status.${status}`)),
      parcel.trackingSubStatus ? h("span", { class: "parcel-sub" }, t(`tracking.sub.${parcel.trackingSubStatus}`)) : null,
      tone === "alert" ? h("span", { class: "visually-hidden" }, ` (${t("tracking.attention")})`) : null),
    estimate(parcel),
    events.length
      ? h("ol", { class: "timeline parcel-timeline", "aria-label": t("tracking.events") }, events.map((e) =>
          h("li", { class: `timeline-entry parcel-event tone-${trackingTone(e.status, e.subStatus)}`, "data-event": e.id },
            h("span", { class: "row-main" }, trackingLabel(e.status, e.subStatus),
              e.message && e.message.toLocaleLowerCase() !== trackingLabel(e.status, e.subStatus).toLocaleLowerCase()
                ? h("span", { class: "row-note parcel-message" }, e.message) : null,
              place(e.location) ? h("span", { class: "row-note parcel-place" }, place(e.location)) : null),
            h("time", { class: "row-date", datetime: e.occurredAt }, carrierTime(e.occurredAt, e.utcOffsetMinutes)))))
      : h("p", { class: "muted parcel-empty" }, t("tracking.noNews")));
}
