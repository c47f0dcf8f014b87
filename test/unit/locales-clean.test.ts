import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, NUMBER_FORMS } from "../../bot/forms/index.js";
import { kkEnding, lastSpokenWord } from "../../bot/forms/kk.js";
import { loadResources, type Locale } from "../../bot/i18n.js";

/**
 * What a person reads is plain language: no rule id, no internal code, no term of the other language, no ISO
 * date, and every date or count inside a sentence goes through the language's formatter (bot/forms).
 */
type Texts = Map<string, string>;
function flatten(o: unknown, prefix = "", out: Texts = new Map()): Texts {
  if (typeof o === "string") out.set(prefix, o);
  else if (o && typeof o === "object")
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}
const resources = loadResources();
const texts: Record<Locale, Texts> = { ru: flatten(resources.ru), kk: flatten(resources.kk) };
const both = (["ru", "kk"] as const).flatMap((lng) => [...texts[lng]].map(([k, v]) => [lng, k, v] as const));

/** The words a reader sees: no tags, no command syntax in <code>, no {{variables}}, no /commands, no web addresses. */
const prose = (s: string) =>
  s
    .replace(/<code>.*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\{\{[^}]*\}\}/g, " ")
    .replace(/(^|\s|[(«])\/[a-z_]+/g, "$1")
    .replace(/\b[\w-]+(\.[\w-]+)*\.kz\b/g, " ");

/** Keys that are bilingual on purpose: the first question asked, the language names. */
const BILINGUAL = new Set(["start.choose_language", "start.lang_ru", "start.lang_kk"]);
const isBilingual = (key: string) => BILINGUAL.has(key) || /\.lang_(ru|kk)$/.test(key);

/** Names and formats people know as they are written (brands, file types). */
// QR: the code's own name in both languages ("QR-код").
const LATIN_ALLOWED = new Set([
  "eGov",
  "Mobile",
  "e-Otinish",
  "Telegram",
  "SMS",
  "PDF",
  "JPG",
  "PNG",
  "HEIC",
  "CSV",
  "JSON",
  "QR",
]);
LATIN_ALLOWED.add("UTC").add("id");

/** Abbreviations of one language that must not stand untranslated in the other. */
const ONLY_RU = ["ИИН", "ПМСП", "ФСМС", "ЭЦП", "ОСМС", "ГОБМП", "РПН", "МСЭ", "ВНЖ", "ДМС", "ЦОН", "НУЦ", "ЕАЭС"];
const ONLY_KK = ["ЖСН", "МСАК", "ӘМСҚ", "ЭЦҚ", "МӘМС", "ТМККК", "ХҚКО", "ҰКО", "ЕАЭО", "МӘС"];
/** Russian words that never occur in Kazakh prose (a Russian phrase left in a Kazakh text). */
const RU_WORDS =
  /(?<![\p{L}])(и|в|на|по|для|или|что|это|при|как|можно|нужно|заявк\p{L}*|поликлиник\p{L}*)(?![\p{L}])/iu;

export function cleanProblems(lng: Locale, t: Texts): string[] {
  const problems: string[] = [];
  for (const [key, text] of t) {
    const p = prose(text);
    if (/\bR\d{1,2}\b/.test(text)) problems.push(`${lng} ${key}: a rule id`);
    if (/\d{4}-\d{2}-\d{2}/.test(text)) problems.push(`${lng} ${key}: an ISO date`);
    for (const m of p.matchAll(/\b[A-Za-z_]*[a-z][A-Z_]\w*\b|\b[A-Z]+_[A-Z_]+\b/g))
      if (!LATIN_ALLOWED.has(m[0])) problems.push(`${lng} ${key}: a code «${m[0]}»`);
    for (const m of p.matchAll(/[A-Za-z]+(?:-[A-Za-z]+)*/g))
      if (!LATIN_ALLOWED.has(m[0])) problems.push(`${lng} ${key}: an untranslated word «${m[0]}»`);
    if (isBilingual(key)) continue;
    const other = lng === "ru" ? ONLY_KK : ONLY_RU;
    for (const abbr of other)
      if (new RegExp(`(?<![\\p{L}])${abbr}(?![\\p{L}])`, "u").test(p))
        problems.push(`${lng} ${key}: «${abbr}» is the other language's term`);
    if (lng === "ru" && /[әғқңөұүһі]/i.test(p)) problems.push(`${lng} ${key}: Kazakh letters in a Russian text`);
    // "(прописка)" is how people name the registered address: the one Russian word a Kazakh text keeps, in brackets.
    const kkProse = p.replace(/\(прописка\)/g, "");
    const ruWord = lng === "kk" ? RU_WORDS.exec(kkProse) : null;
    if (ruWord) problems.push(`${lng} ${key}: the Russian word «${ruWord[0]}»`);
  }
  return problems;
}

const ENDINGS = new Set(
  ["а", "о", "ы", "е", "і"].flatMap((v) =>
    ["л", "н", "с", "к", "з", "ң"].flatMap((c) => NUMBER_FORMS.map((f) => kkEnding(`${c}${v}${c}`, f))),
  ),
);
/** A number written with a case ending ("1-ден", "10:00-да") whose ending breaks vowel harmony or assimilation. */
export function kkNumberProblems(t: Texts): string[] {
  const problems: string[] = [];
  for (const [key, text] of t) {
    for (const m of prose(text).matchAll(/(\d+(?::\d\d)?)-([\p{L}]+)/gu)) {
      const [, number = "", ending = ""] = m;
      if (!ENDINGS.has(ending)) continue; // "1-қадам", "7-цифры": an ordinal written with its noun
      const groups = number.split(":");
      const read = groups.length === 2 && groups[1] === "00" ? Number(groups[0]) : Number(groups.at(-1));
      const word = lastSpokenWord(read);
      if (!NUMBER_FORMS.some((f) => kkEnding(word, f) === ending))
        problems.push(`kk ${key}: «${m[0]}» (read «${word}»: ${NUMBER_FORMS.map((f) => kkEnding(word, f)).join("/")})`);
    }
  }
  return problems;
}

const varsOf = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*(?:,\s*([\w()., :]+?))?\s*\}\}/g)];

/** Variables that hold a day or an instant: the text shows them through a date format, never raw. */
const DATE_VARS = new Set(["date", "start", "end", "effective", "due", "today", "submitted", "decided"]);
/** Dates that reach the text already written: a staff card's instant with its time, a date as the person typed it. */
const PREFORMATTED = new Set([
  "staff.card.dates:submitted",
  "staff.find.line:submitted",
  "apply.insurance.errors.no_such_day:date",
  // The admin's view of a campaign window: a month and a day without a year, as the admin types them (DD.MM).
  "policy.admin.window:start",
  "policy.admin.window:end",
]);

describe("texts in plain language (every text of both languages)", () => {
  it.each(["ru", "kk"] as const)(
    "%s: no rule id, no code, no ISO date, no untranslated term or word of the other language",
    (lng) => {
      expect(cleanProblems(lng, texts[lng])).toEqual([]);
    },
  );

  it("the checks fail on what they look for", () => {
    const one = (lng: Locale, key: string, text: string) => cleanProblems(lng, new Map([[key, text]]));
    expect(one("ru", "x", "Правило R7: кампания")).toContain("ru x: a rule id");
    expect(one("ru", "x", "до 2026-11-01")).toEqual(["ru x: an ISO date"]);
    expect(one("ru", "x", "причина: clinic_full")).toContain("ru x: a code «clinic_full»");
    expect(one("kk", "x", "Сіздің ИИН")).toEqual(["kk x: «ИИН» is the other language's term"]);
    expect(one("ru", "x", "Ваш ЖСН")).toContain("ru x: «ЖСН» is the other language's term");
    expect(one("kk", "x", "Өтінім беру или болдырмау")).toEqual(["kk x: the Russian word «или»"]);
    expect(one("ru", "x", "Отправьте <code>/find ИИН</code> или /status на eGov.kz")).toEqual([]);
    expect(kkNumberProblems(new Map([["x", "сағат 10:00-де, 3-ден"]]))).toHaveLength(2);
  });

  it("kk: a number written with an ending has the ending its sound asks for (1-ден, 6-дан, 10:00-да)", () => {
    expect(kkNumberProblems(texts.kk)).toEqual([]);
  });

  it("every {{variable, format}} names a registered format", () => {
    const known = new Set(FORMAT_NAMES);
    const unknown = both.flatMap(([lng, key, v]) =>
      varsOf(v)
        .map((m) => m[2])
        .filter((f): f is string => f !== undefined && !known.has(f))
        .map((f) => `${lng} ${key}: ${f}`),
    );
    expect(unknown).toEqual([]);
  });

  it("every date inside a text goes through a date format in both languages", () => {
    const raw = both.flatMap(([lng, key, v]) =>
      varsOf(v)
        .filter((m) => DATE_VARS.has(m[1] ?? "") && !PREFORMATTED.has(`${key}:${m[1]}`))
        .filter((m) => !/^(date|day)(_\w+)?$|^time$/.test(m[2] ?? ""))
        .map((m) => `${lng} ${key}: {{${m[1]}}}`),
    );
    expect(raw).toEqual([]);
  });
});
