// Postal addresses: the countries the API accepts, the address fields of a form, and an
// address as lines of text.

import { h } from "../lib/dom.js";
import { field, input, select } from "../lib/forms.js";
import { COUNTRY_CODES, countryOptions } from "../lib/countries.js";
import { countryName, t } from "../lib/i18n.js";

export { COUNTRY_CODES, countryOptions };

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
