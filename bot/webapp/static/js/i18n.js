// The page's strings: static/i18n/<lang>.json, chosen from /app/api/me "language"; English as fallback.
let strings = {};
let fallback = {};
export let lang = "en";

async function load(code) {
  const response = await fetch(new URL(`../i18n/${code}.json`, import.meta.url));
  if (!response.ok) throw new Error(`no strings for ${code}`);
  return response.json();
}

export function languageLoaded() {
  return Object.keys(fallback).length > 0;
}

export async function setLanguage(code) {
  fallback = Object.keys(fallback).length ? fallback : await load("en");
  lang = code === "ru" ? "ru" : "en";
  strings = lang === "en" ? fallback : await load(lang).catch(() => fallback);
  document.documentElement.lang = lang;
}

/** t("history.saved") or t("history.weight", {unit: "kg"}): {name} placeholders filled after lookup. */
export function t(key, values) {
  let text = strings[key] ?? fallback[key] ?? key;
  if (values) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  return text;
}

const pluralRules = {};
/** Plural forms as "one|few|many|other" keys: tn("history.sets", n) reads "history.sets.one" etc. */
export function tn(key, n, values) {
  pluralRules[lang] ||= new Intl.PluralRules(lang);
  const form = pluralRules[lang].select(n);
  const full = `${key}.${form}`;
  const chosen = full in strings || full in fallback ? full : `${key}.other`;
  return t(chosen, { n, ...values });
}

/** "kg" -> "кг" for a Russian reader; a unit without a translation as it is. */
export function unitName(unit) {
  if (!unit) return "";
  const key = `unit.${unit}`;
  const text = t(key);
  return text === key ? unit : text;
}

export function formatDate(iso, options = { day: "numeric", month: "short", year: "numeric" }) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
}

export function formatNumber(value, digits = 1) {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
}
