// The pages' words, numbers and money in the user's language: Vietnamese, Thai or English.
// Every sentence a page shows comes from one catalogue per language (locales/*.js); a
// component holds keys, never text. Numbers, dates and money follow the browser's own
// locale until the user picks a language, then that language's.
import en from "./locales/en.js";
import th from "./locales/th.js";
import vi from "./locales/vi.js";

export const LANGUAGES = { vi: "Tiếng Việt", th: "ไทย", en: "English" };
const CATALOGUES = { en, vi, th };
const LOCALE_OF = { en: "en-GB", vi: "vi-VN", th: "th-TH" };
const CHOICE = "kado.language";

// Keys asked for but missing from the language in use: the translation test reads this.
const missing = new Set();
if (typeof window !== "undefined") {
  window.__kadoMissing = missing;
  window.__kadoCatalogues = CATALOGUES;
}

function chosen() {
  try { return localStorage.getItem(CHOICE); } catch (_) { return null; }
}

function fromBrowser() {
  const wanted = (typeof navigator !== "undefined" && navigator.languages) || ["en"];
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (CATALOGUES[base]) return base;
  }
  return "en";
}

let current = CATALOGUES[chosen()] ? chosen() : fromBrowser();

export function language() {
  return current;
}

/** The user's pick, kept for the next visit; the page renders again with it. */
export function setLanguage(code) {
  if (!CATALOGUES[code]) return;
  current = code;
  try { localStorage.setItem(CHOICE, code); } catch (_) { /* private mode: this visit only */ }
  document.documentElement.lang = code;
}

/** The locale numbers, money and dates are written and read in. */
export function locale() {
  if (chosen() || typeof navigator === "undefined") return LOCALE_OF[current];
  return navigator.language || LOCALE_OF[current];
}

/** The sentence under `key`, its {names} filled from `vars`; a plural sentence takes the
 * form for `vars.count` (Intl's plural rules of the language). */
export function t(key, vars = {}) {
  let entry = CATALOGUES[current][key];
  if (entry === undefined) {
    missing.add(`${current}:${key}`);
    entry = en[key] !== undefined ? en[key] : key;
  }
  if (typeof entry === "object") {
    const form = new Intl.PluralRules(LOCALE_OF[current]).select(Number(vars.count || 0));
    entry = entry[form] !== undefined ? entry[form] : entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** Whether the catalogues have a sentence under `key` (English at least). */
export function has(key) {
  return CATALOGUES[current][key] !== undefined || en[key] !== undefined;
}

/** The words for a code the API answers (a status, an outcome, a refusal), or the code. */
export function word(group, code) {
  const key = `${group}.${code}`;
  return has(key) ? t(key) : String(code);
}

/** How many digits a currency's minor unit has (ISO 4217, as Intl knows it): VND 0,
 * THB and EUR 2. Every amount Kado stores is in minor units. */
export function minorDigits(currency) {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch (_) {
    return 2;
  }
}

/** An amount in minor units, written in the currency's own form (50.000 ₫, ฿50.00, 5,00 €). */
export function money(minor, currency) {
  if (!currency) return number(minor);
  const digits = minorDigits(currency);
  const value = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency,
      minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  } catch (_) {
    return `${value.toFixed(digits)} ${currency}`;
  }
}

export function number(value) {
  return new Intl.NumberFormat(locale()).format(value);
}

/** The locale's decimal mark ("," in fr-FR and vi-VN, "." in th-TH and en). */
function decimalMark() {
  const parts = new Intl.NumberFormat(locale()).formatToParts(1.5);
  return (parts.find((p) => p.type === "decimal") || {}).value || ".";
}

/** What a cashier typed, read as minor units of `currency`; null when it is not an amount
 * (letters, marks in the wrong places, more decimals than the currency has, nothing above
 * zero): then nothing is sent. The locale's decimal mark is the decimal; the other of "."
 * and "," groups thousands when every group after it has three digits ("50.000" in vi-VN,
 * "1,000" in th-TH) and is a decimal mark otherwise ("2,50" is two and a half anywhere). */
export function parseAmount(typed, currency) {
  const text = String(typed).trim().replace(/[\s\u00a0\u202f'’]/g, "");
  if (!/^[\d.,]+$/.test(text)) return null;
  const decimal = decimalMark();
  const other = decimal === "," ? "." : ",";
  let whole = text;
  let fraction = "";
  if (text.includes(decimal)) {
    [whole, fraction] = splitOnce(text, decimal);
  } else if (text.includes(other) && !/^\d{1,3}(?:[.,]\d{3})+$/.test(text)) {
    [whole, fraction] = splitOnce(text, other); // one mark, not thousands: the decimal
  }
  if (fraction.includes(".") || fraction.includes(",")) return null;
  if (/[.,]/.test(whole)) {
    if (!/^\d{1,3}(?:[.,]\d{3})+$/.test(whole) || (whole.includes(".") && whole.includes(","))) return null;
    whole = whole.replace(/[.,]/g, "");
  }
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return null;
  const digits = minorDigits(currency);
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

function splitOnce(text, mark) {
  const at = text.indexOf(mark);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** A moment in the reader's language with its zone named: in `timezone` when given (a
 * campaign's times are read in the campaign's zone), else in the browser's. */
export function when(iso, timezone) {
  if (!iso) return "";
  // Fields, not dateStyle/timeStyle: Intl refuses a zone name beside those.
  return new Date(iso).toLocaleString(locale(), {
    year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
    timeZone: timezone || undefined, timeZoneName: "short" });
}
