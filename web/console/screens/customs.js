// The customs screen: the shop's duty rates (a table filtered by country and prefix, a rate
// added, changed or deleted by hand, a CSV file previewed then imported, the rates exported as
// CSV), the markets that settle duties at checkout (DDP) or at the door (DAP), and the
// shop's customs registrations (EORI, IOSS, UK VAT, ARN).

import { h } from "../../lib/dom.js";
import { countryOptions } from "../../lib/countries.js";
import { field, formValues, input, select, showErrors, clearErrors, busy, submitButton } from "../../lib/forms.js";
import { countryName, t } from "../../lib/i18n.js";
import { addMessages } from "../messages.js";
import { gql, mutate } from "../api.js";
import { serverList } from "../ui/list.js";
import { number } from "../ui/format.js";
import { badge, button, confirmDialog, pageHead, panel, toast } from "../ui/page.js";

addMessages({
  en: {
    "customs.title": "Customs",
    "customs.rates": "Duty rates",
    "customs.rates.hint": "Your duty rate per destination and HS code prefix. The longest prefix matching a product's code wins; a rate without prefix is the destination's default. Goods with no matching rate show an unknown duty at checkout. These rates are your data: check them against the destination's tariff.",
    "customs.rates.empty": "No duty rates match.",
    "customs.country": "Country",
    "customs.prefix": "HS code prefix",
    "customs.prefix.hint": "Up to 10 digits: 61 (chapter), 6109 (heading), 610910 ... Empty: the country's default.",
    "customs.prefix.default": "Default",
    "customs.rate": "Rate (%)",
    "customs.rate.hint": "A percentage with at most two decimals, like 12.8.",
    "customs.source": "Source",
    "customs.source.hint": "Where the rate comes from: the tariff's address or name.",
    "customs.updated": "Changed",
    "customs.rate.new": "Add a rate",
    "customs.rate.edit": "Change the rate",
    "customs.rate.saved": "Rate saved.",
    "customs.rate.delete": "Delete the rate of {country} {prefix}? Its goods then take a shorter prefix's rate, or none.",
    "customs.rate.deleted": "Rate deleted.",
    "customs.import": "Import from CSV",
    "customs.import.hint": "Columns country,hs_prefix,rate_percent,source with that header line, UTF-8. Every row is checked before anything changes: a file with a problem changes nothing.",
    "customs.import.file": "CSV file",
    "customs.import.text": "Or paste the CSV",
    "customs.import.preview": "Preview",
    "customs.import.apply": "Import {n} rates",
    "customs.import.summary": "{rows} rates: {created} new, {updated} changed, {unchanged} unchanged.",
    "customs.import.done": "Imported: {created} new, {updated} changed, {unchanged} unchanged.",
    "customs.import.nothing": "Nothing to change: every rate is already as in the file.",
    "customs.import.problems": "The file was not imported. Fix these lines and preview again:",
    "customs.import.line": "Line {line}",
    "customs.change.CREATED": "New",
    "customs.change.UPDATED": "Changed",
    "customs.change.was": "was {rate} %",
    "customs.export": "Export CSV",
    "customs.export.done": "{n} rates exported.",
    "customs.markets": "Markets",
    "customs.markets.hint": "DDP: duties and import taxes are charged at checkout and the parcel arrives paid. DAP: the shopper sees an estimate and pays the carrier on delivery. Countries not listed take the default: {default}.",
    "customs.markets.empty": "No country has its own choice: all take the default.",
    "customs.incoterm": "Duties and taxes",
    "customs.incoterm.DDP": "DDP · charged at checkout",
    "customs.incoterm.DAP": "DAP · paid on delivery",
    "customs.market.set": "Set",
    "customs.market.saved": "{country}: {incoterm}.",
    "customs.market.remove": "Back to default",
    "customs.market.removed": "{country} takes the default again.",
    "customs.registrations": "Registrations",
    "customs.registrations.hint": "Printed on customs documents where a regime asks for them. Only staff with the settings permission see them.",
    "customs.registration.EORI": "EORI number",
    "customs.registration.IOSS": "EU IOSS number",
    "customs.registration.UK_VAT": "UK VAT number",
    "customs.registration.AU_ARN": "Australian ARN",
    "customs.registration.EORI.hint": "Country code and up to 15 letters or digits, like DE123456789012345.",
    "customs.registration.IOSS.hint": "IM and 10 digits, like IM2760000001.",
    "customs.registration.UK_VAT.hint": "GB and 9 or 12 digits, like GB123456789.",
    "customs.registration.AU_ARN.hint": "12 digits.",
    "customs.registration.none": "Not set",
    "customs.registration.save": "Save",
    "customs.registration.remove": "Remove",
    "customs.registration.saved": "{kind} saved.",
    "customs.registration.removed": "{kind} removed.",
  },
  zh: {
    "customs.title": "海关与关税",
    "customs.rates": "关税税率",
    "customs.rates.hint": "按目的国和 HS 编码前缀设置的关税税率。与商品编码匹配的最长前缀优先；不带前缀的税率是该国的默认税率。没有匹配税率的商品在结账时显示关税未知。税率由您维护，请对照目的国税则核实。",
    "customs.rates.empty": "没有符合条件的税率。",
    "customs.country": "国家/地区",
    "customs.prefix": "HS 编码前缀",
    "customs.prefix.hint": "最多 10 位数字：61（章）、6109（品目）、610910……留空即该国默认税率。",
    "customs.prefix.default": "默认",
    "customs.rate": "税率（%）",
    "customs.rate.hint": "百分比，最多两位小数，例如 12.8。",
    "customs.source": "来源",
    "customs.source.hint": "税率出处：税则的网址或名称。",
    "customs.updated": "修改时间",
    "customs.rate.new": "添加税率",
    "customs.rate.edit": "修改税率",
    "customs.rate.saved": "税率已保存。",
    "customs.rate.delete": "确定删除 {country} {prefix} 的税率吗？相关商品将改用更短前缀的税率，或无税率。",
    "customs.rate.deleted": "税率已删除。",
    "customs.import": "从 CSV 导入",
    "customs.import.hint": "列为 country,hs_prefix,rate_percent,source，首行为表头，UTF-8 编码。导入前会检查每一行：文件有任何问题都不会做任何更改。",
    "customs.import.file": "CSV 文件",
    "customs.import.text": "或粘贴 CSV 内容",
    "customs.import.preview": "预览",
    "customs.import.apply": "导入 {n} 条税率",
    "customs.import.summary": "共 {rows} 条：新增 {created}，修改 {updated}，不变 {unchanged}。",
    "customs.import.done": "已导入：新增 {created}，修改 {updated}，不变 {unchanged}。",
    "customs.import.nothing": "无需更改：所有税率与文件一致。",
    "customs.import.problems": "文件未导入。请修改以下各行后重新预览：",
    "customs.import.line": "第 {line} 行",
    "customs.change.CREATED": "新增",
    "customs.change.UPDATED": "修改",
    "customs.change.was": "原为 {rate}%",
    "customs.export": "导出 CSV",
    "customs.export.done": "已导出 {n} 条税率。",
    "customs.markets": "市场",
    "customs.markets.hint": "DDP：关税和进口税在结账时收取，包裹到达时已完税。DAP：顾客看到预估金额，收货时向承运商支付。未列出的国家使用默认方式：{default}。",
    "customs.markets.empty": "没有单独设置的国家，全部使用默认方式。",
    "customs.incoterm": "关税与税费",
    "customs.incoterm.DDP": "DDP · 结账时收取",
    "customs.incoterm.DAP": "DAP · 收货时支付",
    "customs.market.set": "设置",
    "customs.market.saved": "{country}：{incoterm}。",
    "customs.market.remove": "恢复默认",
    "customs.market.removed": "{country} 已恢复默认方式。",
    "customs.registrations": "登记号码",
    "customs.registrations.hint": "在税制要求时打印在报关单据上。仅拥有设置权限的员工可见。",
    "customs.registration.EORI": "EORI 号码",
    "customs.registration.IOSS": "欧盟 IOSS 号码",
    "customs.registration.UK_VAT": "英国增值税号",
    "customs.registration.AU_ARN": "澳大利亚 ARN",
    "customs.registration.EORI.hint": "国家代码加最多 15 位字母或数字，例如 DE123456789012345。",
    "customs.registration.IOSS.hint": "IM 加 10 位数字，例如 IM2760000001。",
    "customs.registration.UK_VAT.hint": "GB 加 9 位或 12 位数字，例如 GB123456789。",
    "customs.registration.AU_ARN.hint": "12 位数字。",
    "customs.registration.none": "未设置",
    "customs.registration.save": "保存",
    "customs.registration.remove": "删除",
    "customs.registration.saved": "{kind} 已保存。",
    "customs.registration.removed": "{kind} 已删除。",
  },
});

const ERRORS = "errors { field code message }";
const RATES = `query DutyRates($filter: DutyRateFilter, $first: Int, $after: String, $last: Int, $before: String) {
  dutyRates(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    nodes { id country hsPrefix ratePercent source updatedAt }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const SETUP = `query CustomsSetup {
  customsMarkets { defaultIncoterm markets { country incoterm } }
  customsRegistrations { kind number }
}`;
const SET_RATE = `mutation SetDutyRate($input: SetDutyRateInput!) { setDutyRate(input: $input) { created rate { id } ${ERRORS} } }`;
const DELETE_RATE = `mutation DeleteDutyRate($input: DeleteDutyRateInput!) { deleteDutyRate(input: $input) { deletedId ${ERRORS} } }`;
const IMPORT = `mutation ImportDutyRates($csv: String!, $dryRun: Boolean) {
  importDutyRates(csv: $csv, dryRun: $dryRun) {
    dryRun rows created updated unchanged
    changes { change country hsPrefix ratePercent previousRatePercent source }
    ${ERRORS}
  }
}`;
const EXPORT = `mutation ExportDutyRates($filter: DutyRateFilter) { exportDutyRates(filter: $filter) { csv count ${ERRORS} } }`;
const SET_MARKET = `mutation SetCustomsMarket($input: SetCustomsMarketInput!) { setCustomsMarket(input: $input) { market { country incoterm } ${ERRORS} } }`;
const REMOVE_MARKET = `mutation RemoveCustomsMarket($input: RemoveCustomsMarketInput!) { removeCustomsMarket(input: $input) { country ${ERRORS} } }`;
const SET_REGISTRATION = `mutation SetCustomsRegistration($input: SetCustomsRegistrationInput!) { setCustomsRegistration(input: $input) { registration { kind number } ${ERRORS} } }`;
const REMOVE_REGISTRATION = `mutation RemoveCustomsRegistration($input: RemoveCustomsRegistrationInput!) { removeCustomsRegistration(input: $input) { kind ${ERRORS} } }`;

const INCOTERMS = ["DDP", "DAP"];
const KINDS = ["EORI", "IOSS", "UK_VAT", "AU_ARN"];
// Bytes of a file read for import: the API refuses more anyway, with its own message.
const MAX_FILE_BYTES = 1024 * 1024;

const incotermOptions = () => INCOTERMS.map((i) => [i, t(`customs.incoterm.${i}`)]);
const prefixText = (prefix) => prefix || t("customs.prefix.default");
const countryText = (code) => `${countryName(code)} (${code})`;

export async function show(view, ctx) {
  const data = await gql(SETUP);
  if (!ctx.current()) return;
  const redraw = () => show(view, ctx);
  const filter = filterOf(ctx.params);
  const list = ratesList(ctx);
  view.replaceChildren(
    pageHead(t("customs.title")),
    panel(t("customs.rates"), [h("p", { class: "muted" }, t("customs.rates.hint")), list], {
      actions: [
        button(t("customs.rate.new"), () => rateDialog(null, () => list.reload()), { kind: "secondary" }),
        button(t("customs.export"), () => exportRates(view, filter), { kind: "secondary", attrs: { id: "customs-export" } }),
      ],
      attrs: { id: "customs-rates" },
    }),
    importPanel(() => list.reload()),
    h("div", { class: "columns" }, marketsPanel(data.customsMarkets, redraw), registrationsPanel(data.customsRegistrations, redraw)));
}

/** The list's filter as the API takes it, from the address. */
function filterOf(params) {
  const filter = {};
  if (params.get("country")) filter.country = params.get("country");
  if (params.get("prefix")) filter.prefix = params.get("prefix");
  return Object.keys(filter).length ? filter : null;
}

function ratesList(ctx) {
  let list = null;
  list = serverList({
    ctx,
    query: RATES,
    pick: (data) => data.dutyRates,
    variables: (params) => ({ filter: filterOf(params) }),
    filters: [
      { name: "country", label: t("customs.country"), type: "select", options: countryOptions() },
      { name: "prefix", label: t("customs.prefix"), type: "text", maxlength: 14, placeholder: "6109" },
    ],
    label: t("customs.rates"),
    empty: t("customs.rates.empty"),
    pageSize: 50,
    columns: [
      { label: t("customs.country"), cell: (r) => countryText(r.country) },
      { label: t("customs.prefix"), cell: (r) => h("span", { class: r.hsPrefix ? "mono" : "muted", dataset: { rate: `${r.country}:${r.hsPrefix}` } }, prefixText(r.hsPrefix)) },
      { label: t("customs.rate"), num: true, cell: (r) => `${r.ratePercent} %` },
      { label: t("customs.source"), cell: (r) => h("span", { class: "muted" }, r.source) },
      {
        label: "",
        num: true,
        cell: (r) => h("div", { class: "actions row-actions" },
          button(t("edit"), () => rateDialog(r, () => list.reload()), { kind: "quiet", attrs: { "aria-label": `${t("edit")} ${r.country} ${prefixText(r.hsPrefix)}` } }),
          button(t("delete"), () => deleteRate(r, list), { kind: "quiet", attrs: { "aria-label": `${t("delete")} ${r.country} ${prefixText(r.hsPrefix)}` } })),
      },
    ],
  });
  return list;
}

/** The add or change dialog of one rate; a rate's country and prefix are its key. */
async function rateDialog(rate, done) {
  let payload = null;
  const body = h("div", { class: "form form-dialog" },
    field(t("customs.country"), select("country", countryOptions(), rate?.country || "", { required: true, disabled: !!rate })),
    field(t("customs.prefix"), input({ name: "hsPrefix", value: rate?.hsPrefix || "", maxlength: 14, inputmode: "numeric", autocomplete: "off", readonly: !!rate }), { hint: t("customs.prefix.hint"), optional: true }),
    field(t("customs.rate"), input({ name: "ratePercent", value: rate?.ratePercent || "", inputmode: "decimal", required: true, maxlength: 12, autocomplete: "off" }), { hint: t("customs.rate.hint") }),
    field(t("customs.source"), input({ name: "source", value: rate?.source || "", maxlength: 300 }), { hint: t("customs.source.hint"), optional: true, wide: true }));
  await confirmDialog({
    title: rate ? t("customs.rate.edit") : t("customs.rate.new"),
    body,
    confirmLabel: t("save"),
    onConfirm: async (dialog) => {
      const form = dialog.querySelector("form");
      const v = formValues(form);
      const country = rate ? rate.country : v.country;
      payload = await mutate(form, SET_RATE, { input: { country, hsPrefix: v.hsPrefix || "", ratePercent: v.ratePercent, source: v.source || "" } });
      return !!payload;
    },
  });
  if (payload) {
    toast(t("customs.rate.saved"));
    done();
  }
}

async function deleteRate(rate, list) {
  const text = t("customs.rate.delete", { country: rate.country, prefix: prefixText(rate.hsPrefix) });
  if (!(await confirmDialog({ text, confirmLabel: t("delete"), danger: true }))) return;
  if (await mutate(list, DELETE_RATE, { input: { id: rate.id } })) {
    toast(t("customs.rate.deleted"));
    list.reload();
  }
}

async function exportRates(view, filter) {
  const payload = await mutate(view.querySelector("#customs-rates"), EXPORT, { filter });
  if (!payload) return;
  // A byte-order mark, so that a spreadsheet opens the UTF-8 file as UTF-8.
  const blob = new Blob(["\ufeff", payload.csv], { type: "text/csv;charset=utf-8" });
  const link = h("a", { href: URL.createObjectURL(blob), download: "duty-rates.csv", hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
  toast(t("customs.export.done", { n: number(payload.count) }));
}

/** The file's problems, one line each: "Line 3 · country: …". */
function problemList(errors) {
  return h("ul", { class: "import-problems" }, errors.map((e) => {
    const [, line, column] = e.field || [];
    const where = line ? [t("customs.import.line", { line }), column].filter(Boolean).join(" · ") : null;
    return h("li", { dataset: { code: e.code, line: line || "" } }, where ? h("strong", {}, `${where}: `) : null, e.message);
  }));
}

function changesTable(changes) {
  if (!changes.length) return null;
  return h("div", { class: "table-wrap" }, h("table", { class: "data import-changes" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, ""),
      h("th", { scope: "col" }, t("customs.country")),
      h("th", { scope: "col" }, t("customs.prefix")),
      h("th", { scope: "col", class: "num" }, t("customs.rate")),
      h("th", { scope: "col" }, t("customs.source")))),
    h("tbody", {}, changes.map((c) => h("tr", { dataset: { change: c.change, rate: `${c.country}:${c.hsPrefix}` } },
      h("td", {}, badge(c.change === "CREATED" ? "ACTIVE" : "PENDING", { label: t(`customs.change.${c.change}`) })),
      h("td", {}, countryText(c.country)),
      h("td", { class: c.hsPrefix ? "mono" : "muted" }, prefixText(c.hsPrefix)),
      h("td", { class: "num" }, `${c.ratePercent} %`, c.previousRatePercent !== null ? h("div", { class: "muted" }, t("customs.change.was", { rate: c.previousRatePercent })) : null),
      h("td", { class: "muted" }, c.source))))));
}

function importPanel(done) {
  const file = input({ type: "file", name: "file", accept: ".csv,text/csv" });
  const text = h("textarea", { class: "input mono", name: "csv", rows: 6, spellcheck: "false", placeholder: "country,hs_prefix,rate_percent,source\nDE,,4,\nDE,61,12,", autocomplete: "off" });
  const result = h("div", { class: "import-result", "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("customs.import") },
    field(t("customs.import.file"), file, { optional: true }),
    field(t("customs.import.text"), text, { wide: true }),
    h("div", { class: "form-actions" }, submitButton(t("customs.import.preview"))));
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    text.value = await chosen.slice(0, MAX_FILE_BYTES + 1).text();
    result.replaceChildren();
  });
  text.addEventListener("input", () => result.replaceChildren());

  async function run(dryRun) {
    clearErrors(form);
    const release = busy(form);
    const applyButtons = [...result.querySelectorAll("button")];
    for (const b of applyButtons) b.disabled = true;
    let payload;
    try {
      payload = (await gql(IMPORT, { csv: text.value, dryRun })).importDutyRates;
    } catch (err) {
      showErrors(form, [{ message: err.message }]);
      return;
    } finally {
      release();
      for (const b of applyButtons) b.disabled = false;
    }
    if (payload.errors.length) {
      result.replaceChildren(h("div", { class: "form-alert", role: "alert" }, h("p", {}, t("customs.import.problems")), problemList(payload.errors)));
      return;
    }
    const counts = { rows: number(payload.rows), created: number(payload.created), updated: number(payload.updated), unchanged: number(payload.unchanged) };
    if (!dryRun) {
      result.replaceChildren(h("p", { class: "form-note", role: "status" }, t("customs.import.done", counts)));
      toast(t("customs.import.done", counts));
      text.value = "";
      file.value = "";
      done();
      return;
    }
    const changed = payload.created + payload.updated;
    result.replaceChildren(
      h("p", { class: "import-summary" }, t("customs.import.summary", counts)),
      changesTable(payload.changes),
      changed
        ? h("div", { class: "form-actions" }, button(t("customs.import.apply", { n: number(changed) }), () => run(false), { attrs: { id: "customs-import-apply" } }))
        : h("p", { class: "muted" }, t("customs.import.nothing")));
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run(true);
  });
  return panel(t("customs.import"), [h("p", { class: "muted" }, t("customs.import.hint")), form, result], { attrs: { id: "customs-import" } });
}

function marketsPanel(markets, redraw) {
  const root = h("div");
  const defaultText = t(`customs.incoterm.${markets.defaultIncoterm}`);
  const rows = markets.markets.map((m) => h("tr", { dataset: { country: m.country } },
    h("td", {}, countryText(m.country)),
    h("td", {}, t(`customs.incoterm.${m.incoterm}`)),
    h("td", { class: "num" }, button(t("customs.market.remove"), async () => {
      if (await mutate(root, REMOVE_MARKET, { input: { country: m.country } })) {
        toast(t("customs.market.removed", { country: countryName(m.country) }));
        redraw();
      }
    }, { kind: "quiet", attrs: { "aria-label": `${t("customs.market.remove")} ${countryName(m.country)}` } }))));
  root.append(
    h("p", { class: "muted" }, t("customs.markets.hint", { default: defaultText })),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("customs.country")), h("th", { scope: "col" }, t("customs.incoterm")), h("th", {}))),
        h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("customs.markets.empty")));
  const form = h("form", { class: "form", "aria-label": t("customs.markets") },
    field(t("customs.country"), select("country", countryOptions(), "", { required: true })),
    field(t("customs.incoterm"), select("incoterm", incotermOptions(), "DDP")),
    h("div", { class: "form-actions" }, submitButton(t("customs.market.set"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const payload = await mutate(form, SET_MARKET, { input: { country: v.country, incoterm: v.incoterm } });
    if (payload) {
      toast(t("customs.market.saved", { country: countryName(v.country), incoterm: t(`customs.incoterm.${v.incoterm}`) }));
      redraw();
    }
  });
  root.append(form);
  return panel(t("customs.markets"), root, { attrs: { id: "customs-markets" } });
}

function registrationsPanel(registrations, redraw) {
  const held = Object.fromEntries(registrations.map((r) => [r.kind, r.number]));
  const forms = KINDS.map((kind) => {
    const label = t(`customs.registration.${kind}`);
    const form = h("form", { class: "form registration", dataset: { kind }, "aria-label": label },
      field(label, input({ name: "number", value: held[kind] || "", maxlength: 60, autocomplete: "off", autocapitalize: "characters", placeholder: t("customs.registration.none") }), { hint: t(`customs.registration.${kind}.hint`) }),
      h("div", { class: "form-actions" },
        submitButton(t("customs.registration.save")),
        held[kind] ? button(t("customs.registration.remove"), async () => {
          if (await mutate(form, REMOVE_REGISTRATION, { input: { kind } })) {
            toast(t("customs.registration.removed", { kind: label }));
            redraw();
          }
        }, { kind: "quiet" }) : null));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const payload = await mutate(form, SET_REGISTRATION, { input: { kind, number: formValues(form).number } });
      if (payload) {
        toast(t("customs.registration.saved", { kind: label }));
        redraw();
      }
    });
    return form;
  });
  return panel(t("customs.registrations"), [h("p", { class: "muted" }, t("customs.registrations.hint")), forms], { attrs: { id: "customs-registrations" } });
}
