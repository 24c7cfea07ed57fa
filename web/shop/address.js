// Postal addresses: the countries the API accepts, the address fields of a form, and an
// address as lines of text.

import { h } from "../lib/dom.js";
import { field, input, select } from "../lib/forms.js";
import { countryName, t, uiLocale } from "../lib/i18n.js";

// ISO 3166-1 alpha-2, as the API's CountryCode.
export const COUNTRY_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
  "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
  "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
  "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
  "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");


/** `[code, name]` of every country, by name in the page's language. */
export const countryOptions = () =>
  COUNTRY_CODES.map((code) => [code, countryName(code)]).sort((x, y) => x[1].localeCompare(y[1], uiLocale));

/** The country of the browser's language ("en-GB": GB); the United States without one. */
export function defaultCountry() {
  try {
    const region = new Intl.Locale(navigator.language || "en").maximize().region;
    if (COUNTRY_CODES.includes(region)) return region;
  } catch {
    /* no usable language tag */
  }
  return "US";
}

/** The API's names of an address's fields. */
export const ADDRESS_NAMES = ["fullName", "company", "line1", "line2", "city", "region", "postalCode", "country", "phone"];
export const ADDRESS_FIELDS = "id fullName company line1 line2 city region postalCode country phone isDefault";

/**
 * The fields of an address form, filled from `values`. `section` prefixes the autocomplete
 * tokens ("shipping"); `phoneHint` says what the phone number is for.
 */
export function addressFields(values, { section = "", phoneHint } = {}) {
  const auto = (token) => (section ? `${section} ${token}` : token);
  const text = (name, attrs, options = {}) =>
    field(t(name), input({ name, value: values[name] || "", ...attrs, autocomplete: auto(attrs.autocomplete) }), options);
  return [
    text("fullName", { autocomplete: "name", required: true }, { wide: true }),
    text("company", { autocomplete: "organization" }, { optional: true, wide: true }),
    text("line1", { autocomplete: "address-line1", required: true }, { wide: true }),
    text("line2", { autocomplete: "address-line2" }, { optional: true, wide: true }),
    text("postalCode", { autocomplete: "postal-code" }),
    text("city", { autocomplete: "address-level2", required: true }),
    text("region", { autocomplete: "address-level1" }, { optional: true }),
    field(t("country"), select("country", countryOptions(), values.country, { autocomplete: auto("country"), required: true })),
    text("phone", { type: "tel", autocomplete: "tel" }, { optional: true, wide: true, hint: phoneHint }),
  ];
}

/** An address as lines (name, company, street, town, region, country), the empty ones left out. */
export const addressLines = (a) =>
  [a.fullName, a.company, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.region, a.country ? countryName(a.country) : ""]
    .filter(Boolean).map((line) => h("span", {}, line));
