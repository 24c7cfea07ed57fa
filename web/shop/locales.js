// The storefront's languages and their messages (one module per language under messages/).

import de from "./messages/de.js";
import en from "./messages/en.js";
import fr from "./messages/fr.js";
import ja from "./messages/ja.js";
import zh from "./messages/zh.js";

/** The languages shoppers may choose, as `[code, name in that language]`. */
export const LOCALES = [
  ["en", "English"],
  ["de", "Deutsch"],
  ["fr", "Français"],
  ["ja", "日本語"],
  ["zh", "中文"],
];
export const LOCALE_CODES = LOCALES.map(([code]) => code);
// The locale product texts are written in before translation (the server's default_locale).
export const SHOP_LOCALE = "en";

export const MESSAGES = { en, de, fr, ja, zh };
