// The shipping screen: a price check (what a parcel of a weight costs to a country), the
// zones with their countries, and the carriers with their services; a service's page
// (`#/shipping/services/<id>`, in shipping/service.js) holds its rate table per zone.

import { h } from "../../lib/dom.js";
import { field, formValues, input, select, submitButton } from "../../lib/forms.js";
import { t } from "../../lib/i18n.js";
import { gql, mutate } from "../api.js";
import { href } from "../routes.js";
import { money } from "../ui/format.js";
import { badge, button, pageHead, panel, state } from "../ui/page.js";
import { countryOptions } from "../../lib/countries.js";
import { confirmDelete, countryNames, countryPicker, days, formDialog, grams, integer, SERVICE_FIELDS, serviceControls, serviceInput } from "./shipping/parts.js";
import "./shipping/messages.js";

const ERRORS = "errors { field code message }";
const CARRIER_FIELDS = "id name code trackingUrl active services { id name level volumetricDivisor maxWeightGrams active }";

const SHIPPING = `query ShippingSettings {
  carriers(first: 100) { nodes { ${CARRIER_FIELDS} } }
  shippingZones(first: 100) { nodes { id name countries } }
}`;
const PREVIEW = `query ShippingPreview($country: CountryCode!, $weightGrams: Int!) {
  shippingPreview(destination: {country: $country}, weightGrams: $weightGrams) {
    options { serviceId carrierName serviceName level minDays maxDays chargeableWeightGrams shopPrice { amount currency } }
    ${ERRORS}
  }
}`;
const CREATE_CARRIER = `mutation CreateCarrier($input: CreateCarrierInput!) { createCarrier(input: $input) { carrier { id } ${ERRORS} } }`;
const UPDATE_CARRIER = `mutation UpdateCarrier($input: UpdateCarrierInput!) { updateCarrier(input: $input) { carrier { id } ${ERRORS} } }`;
const DELETE_CARRIER = `mutation DeleteCarrier($input: DeleteCarrierInput!) { deleteCarrier(input: $input) { ${ERRORS} } }`;
const CREATE_SERVICE = `mutation CreateShippingService($input: CreateShippingServiceInput!) { createShippingService(input: $input) { service { ${SERVICE_FIELDS} } ${ERRORS} } }`;
const CREATE_ZONE = `mutation CreateShippingZone($input: CreateShippingZoneInput!) { createShippingZone(input: $input) { zone { id } ${ERRORS} } }`;
const UPDATE_ZONE = `mutation UpdateShippingZone($input: UpdateShippingZoneInput!) { updateShippingZone(input: $input) { zone { id } ${ERRORS} } }`;
const DELETE_ZONE = `mutation DeleteShippingZone($input: DeleteShippingZoneInput!) { deleteShippingZone(input: $input) { ${ERRORS} } }`;

export async function show(view, ctx) {
  if (ctx.segments[0] === "services" && ctx.segments[1]) {
    const { showService } = await import("./shipping/service.js");
    return showService(view, ctx, ctx.segments[1]);
  }
  const data = await gql(SHIPPING);
  if (!ctx.current()) return;
  const redraw = () => show(view, ctx);
  view.replaceChildren(
    pageHead(t("shipping.title")),
    previewPanel(),
    zonesPanel(data.shippingZones.nodes, redraw),
    carriersPanel(data.carriers.nodes, redraw));
}

/** What a parcel of a weight would cost to a country, by service. */
function previewPanel() {
  const result = h("div", { class: "preview-result", "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("shipping.preview") },
    field(t("shipping.preview.country"), select("country", countryOptions(), "", { required: true })),
    field(t("shipping.preview.weight"), input({ name: "weightGrams", type: "number", min: 1, step: 1, inputmode: "numeric", required: true })),
    h("div", { class: "form-actions" }, submitButton(t("shipping.preview.run"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = formValues(form);
    result.replaceChildren();
    const payload = await mutate(form, PREVIEW, { country: values.country, weightGrams: integer(values.weightGrams) });
    if (!payload) return;
    if (!payload.options.length) return result.replaceChildren(state(t("shipping.preview.none")));
    result.replaceChildren(h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("shipping.service")),
        h("th", { scope: "col" }, t("shipping.service.level")),
        h("th", { scope: "col" }, t("shipping.delivery")),
        h("th", { scope: "col", class: "num" }, t("shipping.price")))),
      h("tbody", {}, payload.options.map((o) => h("tr", { dataset: { service: o.serviceId } },
        h("td", {}, `${o.carrierName} · ${o.serviceName}`, h("div", { class: "muted" }, t("shipping.preview.charged", { weight: grams(o.chargeableWeightGrams) }))),
        h("td", {}, t(`shipping.level.${o.level}`)),
        h("td", {}, days(o.minDays, o.maxDays)),
        h("td", { class: "num preview-price" }, money(o.shopPrice))))))));
  });
  return panel(t("shipping.preview"), [h("p", { class: "muted" }, t("shipping.preview.hint")), form, result], { attrs: { id: "shipping-preview" } });
}

function zoneDialog(zone, done) {
  const controls = [
    field(t("shipping.zone.name"), input({ name: "name", value: zone?.name || "", required: true, maxlength: 100 })),
    countryPicker(zone?.countries || []),
  ];
  const picker = controls[1];
  return formDialog(zone ? t("shipping.zone.edit") : t("shipping.zone.new"), controls, (form) => {
    const input = { name: form.elements.name.value.trim(), countries: picker.value() };
    return zone ? mutate(form, UPDATE_ZONE, { input: { id: zone.id, ...input } }) : mutate(form, CREATE_ZONE, { input });
  }).then((payload) => payload && done());
}

function zonesPanel(zones, redraw) {
  const root = h("div");
  const rows = zones.map((z) => h("tr", { dataset: { zone: z.name } },
    h("td", {}, z.name),
    h("td", {}, countryNames(z.countries)),
    h("td", { class: "num" }, h("div", { class: "actions row-actions" },
      button(t("edit"), () => zoneDialog(z, redraw), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${z.name}` } }),
      button(t("delete"), async () => {
        if (await confirmDelete(t("shipping.zone.delete", { name: z.name }), root, DELETE_ZONE, z.id)) redraw();
      }, { kind: "quiet", attrs: { "aria-label": `${t("delete")} ${z.name}` } })))));
  root.append(zones.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("shipping.zone.name")), h("th", { scope: "col" }, t("shipping.zone.countries")), h("th", {}))),
      h("tbody", {}, rows)))
    : h("p", { class: "empty" }, t("shipping.zones.empty")));
  return panel(t("shipping.zones"), root, {
    actions: [button(t("shipping.zone.new"), () => zoneDialog(null, redraw), { kind: "secondary" })],
    attrs: { id: "shipping-zones" },
  });
}

function carrierDialog(carrier, done) {
  const controls = [
    field(t("shipping.carrier.name"), input({ name: "name", value: carrier?.name || "", required: true, maxlength: 100 })),
    field(t("shipping.carrier.code"), input({ name: "code", value: carrier?.code || "", required: true, maxlength: 32, autocapitalize: "off" }), { hint: t("shipping.carrier.code.hint") }),
    field(t("shipping.carrier.trackingUrl"), input({ name: "trackingUrl", type: "url", value: carrier?.trackingUrl || "", maxlength: 500 }), { hint: t("shipping.carrier.trackingUrl.hint"), optional: true, wide: true }),
    h("label", { class: "field field-check" }, h("input", { type: "checkbox", name: "active", checked: carrier ? carrier.active : true }), t("shipping.active")),
  ];
  return formDialog(carrier ? t("shipping.carrier.edit") : t("shipping.carrier.new"), controls, (form) => {
    const v = formValues(form);
    const input = { name: v.name, code: v.code, trackingUrl: v.trackingUrl || "", active: !!v.active };
    return carrier ? mutate(form, UPDATE_CARRIER, { input: { id: carrier.id, ...input } }) : mutate(form, CREATE_CARRIER, { input });
  }).then((payload) => payload && done());
}

function carriersPanel(carriers, redraw) {
  const root = h("div", { class: "stack" });
  if (!carriers.length) root.append(h("p", { class: "empty" }, t("shipping.carriers.empty")));
  for (const c of carriers) {
    const box = h("section", { class: "carrier", dataset: { carrier: c.code } });
    const services = c.services.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("shipping.service.name")),
          h("th", { scope: "col" }, t("shipping.service.level")),
          h("th", { scope: "col", class: "num" }, t("shipping.service.maxWeight")),
          h("th", { scope: "col" }, t("shipping.active")))),
        h("tbody", {}, c.services.map((s) => h("tr", { dataset: { href: href("shipping", ["services", s.id]) } },
          h("td", {}, h("a", { href: href("shipping", ["services", s.id]) }, s.name)),
          h("td", {}, t(`shipping.level.${s.level}`)),
          h("td", { class: "num" }, s.maxWeightGrams ? grams(s.maxWeightGrams) : t("shipping.noLimit")),
          h("td", {}, badge(s.active ? "ACTIVE" : "DISABLED", { label: s.active ? t("shipping.active") : t("shipping.inactive") })))))))
      : h("p", { class: "muted" }, t("shipping.services.empty"));
    box.append(
      h("div", { class: "carrier-head" },
        h("h3", {}, c.name), h("span", { class: "muted mono" }, c.code),
        badge(c.active ? "ACTIVE" : "DISABLED", { label: c.active ? t("shipping.active") : t("shipping.inactive") }),
        h("div", { class: "actions" },
          button(t("shipping.service.new"), () => formDialog(t("shipping.service.new"), serviceControls(null),
            (form) => mutate(form, CREATE_SERVICE, { input: { carrierId: c.id, ...serviceInput(form) } })).then((p) => p && redraw()), { kind: "quiet" }),
          button(t("edit"), () => carrierDialog(c, redraw), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${c.name}` } }),
          button(t("delete"), async () => {
            if (await confirmDelete(t("shipping.carrier.delete", { name: c.name }), box, DELETE_CARRIER, c.id)) redraw();
          }, { kind: "quiet", attrs: { "aria-label": `${t("delete")} ${c.name}` } }))),
      c.trackingUrl ? h("p", { class: "muted tracking-url" }, c.trackingUrl) : null,
      services);
    root.append(box);
  }
  // A row of services opens the service's rate table.
  root.addEventListener("click", (e) => {
    const row = e.target.closest("tr[data-href]");
    if (row && !e.target.closest("a, button")) location.hash = row.dataset.href;
  });
  return panel(t("shipping.carriers"), root, {
    actions: [button(t("shipping.carrier.new"), () => carrierDialog(null, redraw), { kind: "secondary" })],
    attrs: { id: "shipping-carriers" },
  });
}
