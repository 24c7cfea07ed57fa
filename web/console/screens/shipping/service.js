// A shipping service's page (`#/shipping/services/<id>`): its settings, and its rate table
// per zone — weight bands with their price and delivery estimate, added, edited, deleted.

import { h } from "../../../lib/dom.js";
import { field, formValues, input, select } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { navigate } from "../../../lib/router.js";
import { gql, mutate } from "../../api.js";
import { href } from "../../routes.js";
import { money } from "../../ui/format.js";
import { badge, button, facts, pageHead, panel, state } from "../../ui/page.js";
import { confirmDelete, countryNames, days, DELETE_SERVICE, formDialog, grams, integer, serviceControls, serviceInput, UPDATE_SERVICE } from "./parts.js";
import "./messages.js";

const ERRORS = "errors { field code message }";
const RATE_FIELDS = "id maxWeightGrams price { amount currency } minDays maxDays zone { id }";

const SERVICE = `query ShippingServicePage($id: ID!) {
  node(id: $id) { ... on ShippingService { id name level volumetricDivisor maxWeightGrams active carrier { id name } } }
  shippingRates(serviceId: $id, first: 100) { nodes { ${RATE_FIELDS} } }
  shippingZones(first: 100) { nodes { id name countries } }
  currencies { code isShopCurrency }
}`;
const CREATE_RATE = `mutation CreateShippingRate($input: CreateShippingRateInput!) { createShippingRate(input: $input) { rate { id } ${ERRORS} } }`;
const UPDATE_RATE = `mutation UpdateShippingRate($input: UpdateShippingRateInput!) { updateShippingRate(input: $input) { rate { id } ${ERRORS} } }`;
const DELETE_RATE = `mutation DeleteShippingRate($input: DeleteShippingRateInput!) { deleteShippingRate(input: $input) { ${ERRORS} } }`;

export async function showService(view, ctx, id) {
  const data = await gql(SERVICE, { id });
  if (!ctx.current()) return;
  const service = data.node;
  const back = [href("shipping"), t("shipping.title")];
  if (!service?.name) {
    view.replaceChildren(pageHead(t("shipping.service"), { crumb: back }), state(t("screen.notFound"), { error: true }));
    return;
  }
  const currency = data.currencies.find((c) => c.isShopCurrency)?.code || "";
  const redraw = () => showService(view, ctx, id);
  const head = h("div");
  head.append(pageHead(`${service.carrier.name} · ${service.name}`, {
    crumb: back,
    actions: [
      button(t("edit"), () => formDialog(t("shipping.service.edit"), serviceControls(service),
        (form) => mutate(form, UPDATE_SERVICE, { input: { id, ...serviceInput(form) } })).then((p) => p && redraw()), { kind: "secondary" }),
      button(t("delete"), async () => {
        if (await confirmDelete(t("shipping.service.delete", { name: service.name }), head, DELETE_SERVICE, id)) navigate(href("shipping"));
      }, { kind: "secondary" }),
    ],
  }));
  const zones = data.shippingZones.nodes;
  const bands = data.shippingRates.nodes;
  view.replaceChildren(
    head,
    panel(null, facts([
      [t("shipping.service.level"), t(`shipping.level.${service.level}`)],
      [t("shipping.service.divisor"), String(service.volumetricDivisor)],
      [t("shipping.service.maxWeight"), service.maxWeightGrams ? grams(service.maxWeightGrams) : t("shipping.noLimit")],
      [t("shipping.active"), badge(service.active ? "ACTIVE" : "DISABLED", { label: service.active ? t("shipping.active") : t("shipping.inactive") })],
    ])),
    h("h2", { class: "section-title" }, t("shipping.service.rates")),
    ...(zones.length
      ? zones.map((zone) => zoneRates(zone, bands.filter((b) => b.zone.id === zone.id), { id, currency, zones, redraw }))
      : [state(t("shipping.rates.noZones"))]));
}

function bandDialog(band, { id, currency, zones, zone }) {
  const controls = [
    band ? null : field(t("shipping.rate.zone"), select("zoneId", zones.map((z) => [z.id, z.name]), zone.id)),
    field(t("shipping.rate.maxWeight"), input({ name: "maxWeightGrams", type: "number", min: 1, step: 1, inputmode: "numeric", required: true, value: band?.maxWeightGrams ?? "" })),
    field(t("shipping.rate.price", { currency }), input({ name: "price", inputmode: "decimal", required: true, maxlength: 20, value: band?.price.amount ?? "" })),
    field(t("shipping.rate.minDays"), input({ name: "minDays", type: "number", min: 0, step: 1, inputmode: "numeric", required: true, value: band?.minDays ?? "" })),
    field(t("shipping.rate.maxDays"), input({ name: "maxDays", type: "number", min: 0, step: 1, inputmode: "numeric", required: true, value: band?.maxDays ?? "" })),
  ];
  return formDialog(band ? t("shipping.rate.edit") : t("shipping.rate.new"), controls, (form) => {
    const v = formValues(form);
    const values = { maxWeightGrams: integer(v.maxWeightGrams), price: v.price, minDays: integer(v.minDays), maxDays: integer(v.maxDays) };
    return band
      ? mutate(form, UPDATE_RATE, { input: { id: band.id, ...values } })
      : mutate(form, CREATE_RATE, { input: { serviceId: id, zoneId: v.zoneId, ...values } });
  });
}

function zoneRates(zone, bands, page) {
  const root = h("div");
  const edit = (band) => bandDialog(band, { ...page, zone }).then((p) => p && page.redraw());
  root.append(h("p", { class: "muted" }, countryNames(zone.countries)));
  root.append(bands.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data rate-table" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", class: "num" }, t("shipping.rate.maxWeight")),
        h("th", { scope: "col", class: "num" }, t("shipping.price")),
        h("th", { scope: "col" }, t("shipping.delivery")),
        h("th", {}))),
      h("tbody", {}, bands.map((b) => h("tr", { dataset: { grams: b.maxWeightGrams } },
        h("td", { class: "num" }, grams(b.maxWeightGrams)),
        h("td", { class: "num" }, money(b.price)),
        h("td", {}, days(b.minDays, b.maxDays)),
        h("td", { class: "num" }, h("div", { class: "actions row-actions" },
          button(t("edit"), () => edit(b), { kind: "quiet" }),
          button(t("delete"), async () => {
            if (await confirmDelete(t("shipping.rate.delete"), root, DELETE_RATE, b.id)) page.redraw();
          }, { kind: "quiet" }))))))))
    : h("p", { class: "empty" }, t("shipping.rates.empty")));
  return panel(t("shipping.rates.zone", { zone: zone.name }), root, {
    actions: [button(t("shipping.rate.new"), () => edit(null), { kind: "secondary" })],
    attrs: { dataset: { zone: zone.name } },
  });
}
