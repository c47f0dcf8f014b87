import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type InitOptions, type TFunction } from "i18next";
import { registerForms } from "./forms/index.js";
import { templateFiller } from "./i18n-templates.js";

export const LOCALES = ["ru", "kk"] as const;
export type Locale = (typeof LOCALES)[number];
export type T = TFunction;

export function isLocale(v: unknown): v is Locale {
  return v === "ru" || v === "kk";
}

/** A stored language when it is one of ours, else Russian (someone the bot writes to before they chose). */
export function localeOr(v: unknown, fallback: Locale = "ru"): Locale {
  return isLocale(v) ? v : fallback;
}

/**
 * The language to write to a person in: their stored choice, else their Telegram app's language when it is kk or
 * ru, else `fallback` (Russian unless the caller knows better, e.g. the language a request was filed in).
 */
export function userLocale(
  user: { language?: string | null; language_code?: string | null } | undefined,
  fallback: Locale = "ru",
): Locale {
  if (isLocale(user?.language)) return user.language;
  return localeOr(user?.language_code?.slice(0, 2).toLowerCase(), fallback);
}

const LOCALES_DIR = fileURLToPath(new URL("../locales/", import.meta.url));

/** Each `locales/<lng>/<file>.json` becomes the top-level key `<file>`. */
export function loadResources(dir = LOCALES_DIR): Record<Locale, Record<string, unknown>> {
  const out = { ru: {}, kk: {} } as Record<Locale, Record<string, unknown>>;
  for (const lng of LOCALES) {
    for (const file of readdirSync(join(dir, lng))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      out[lng][file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, lng, file), "utf8")) as unknown;
    }
  }
  return out;
}

export interface I18n {
  t(locale: Locale): T;
}

/** How the bot sets i18next up on its texts (the translation tests' plain i18next too). */
export function i18nextOptions(resources: Record<Locale, Record<string, unknown>>): InitOptions {
  return {
    resources: { ru: { translation: resources.ru }, kk: { translation: resources.kk } },
    lng: "ru",
    fallbackLng: "ru",
    supportedLngs: [...LOCALES],
    // Values are escaped for Telegram's HTML parse mode; texts in the files are written as HTML.
    interpolation: { escapeValue: true },
    returnNull: false,
    initAsync: false,
  };
}

/** One i18next instance for the process; each update gets a fixed `t` (never changeLanguage). */
export async function createI18n(): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init(i18nextOptions(loadResources()));
  // Dates and numbers inside sentences take their grammatical form from the text: `{{date, day_abl}}`.
  registerForms(instance);
  const cache = new Map<Locale, T>(LOCALES.map((l) => [l, memoized(fixedT(instance, l))]));
  return { t: (locale) => cache.get(locale) ?? fixedT(instance, locale) };
}

/**
 * A `t` bound to one language. i18next's own getFixedT copies all of its options into a new object on every call
 * (for key selectors, which we do not use): two thirds of a call with values, and most of the garbage i18next made.
 * The language goes into the call's options instead, which is all getFixedT does for a plain key. A call with values
 * that fill a plain text is answered from the text split once (bot/i18n-templates.ts).
 */
function fixedT(instance: i18n, lng: Locale): T {
  const t = instance.t.bind(instance) as unknown as (key: unknown, opts?: unknown) => unknown;
  const filled = templateFiller(instance, lng, "ru");
  const bound = (key: unknown, opts?: unknown, ...rest: unknown[]): unknown => {
    if (rest.length > 0 || (opts !== undefined && (typeof opts !== "object" || opts === null)))
      return instance.getFixedT(lng)(key as string, opts as string, ...(rest as []));
    if (opts === undefined) return t(key, { lng });
    if (typeof key === "string") {
      const text = filled(key, opts as Record<string, unknown>);
      if (text !== undefined) return text;
    }
    // As getFixedT: a language the call names itself wins.
    const own = opts as { lng?: unknown };
    return t(key, { ...own, lng: own.lng || lng });
  };
  return bound as unknown as T;
}

/**
 * Most lookups (button labels, fixed texts) pass no options, and i18next resolves each one anew – a tenth of an
 * update's CPU time. The resources never change in a running bot, so those answers are kept per key.
 */
function memoized(t: T): T {
  // TFunction's overloads and brand cannot be spelled by hand: the wrapper is typed loosely and cast back.
  const call = t as unknown as (key: unknown, ...rest: unknown[]) => unknown;
  const plain = new Map<string, string>();
  const wrapped = (key: unknown, ...rest: unknown[]): unknown => {
    if (rest.length > 0 || typeof key !== "string") return call(key, ...rest);
    let hit = plain.get(key);
    if (hit === undefined) {
      hit = t(key);
      plain.set(key, hit);
    }
    return hit;
  };
  return wrapped as unknown as T;
}

/** Escapes text for Telegram HTML when it is inserted without i18next. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
