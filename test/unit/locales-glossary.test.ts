import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadResources, type Locale } from "../../bot/i18n.js";

/**
 * locales/glossary.json is the reviewer's checklist: one entry per concept with its Russian and Kazakh term and
 * the variants that must not appear. This test holds every text of both languages to it.
 */
const Side = z.object({
  term: z.string().min(1),
  pattern: z.string().optional(),
  forbidden: z.array(z.string()).optional(),
  sentenceMustMention: z.string().optional(),
  labels: z.array(z.string()).optional(),
});
const Glossary = z.object({
  about: z.array(z.string()).min(1),
  concepts: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), ru: Side, kk: Side, note: z.string() })).min(40),
});
type Concept = z.infer<typeof Glossary>["concepts"][number];

const glossary = Glossary.parse(
  JSON.parse(readFileSync(new URL("../../locales/glossary.json", import.meta.url), "utf8")),
);

/** `\b` in a glossary pattern is a word boundary in any script (JavaScript's own `\b` knows only ASCII letters). */
const WORD = "[\\p{L}\\p{N}]";
const compiled = new Map<string, RegExp>();
function compile(pattern: string, flags = "iu"): RegExp {
  const boundary = `(?:(?<!${WORD})(?=${WORD})|(?<=${WORD})(?!${WORD}))`;
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) compiled.set(key, (re = new RegExp(pattern.replaceAll("\\b", boundary), flags)));
  return re;
}

type Texts = Map<string, string>;
function flatten(o: unknown, prefix = "", out: Texts = new Map()): Texts {
  if (typeof o === "string") out.set(prefix, o);
  else if (o && typeof o === "object")
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** What a reader sees of a text: no HTML tags, no {{variables}}. */
const visible = (s: string) => s.replace(/<[^>]+>/g, "").replace(/\{\{[^}]*\}\}/g, "…");
/** Sentences: split after . ! ? ; and at line breaks (a dot inside "eGov.kz" or "12.2027" does not end one). */
const sentences = (s: string) => s.split(/(?<=[.!?;])\s+|\n+/);

function glossaryProblems(lng: Locale, raw: Texts, concepts: Concept[] = glossary.concepts): string[] {
  const problems: string[] = [];
  const texts: Texts = new Map([...raw].map(([k, t]) => [k, visible(t)]));
  const all = [...texts.values()].join("\n");
  for (const c of concepts) {
    const side = c[lng];
    const term = side.pattern ? compile(side.pattern) : null;
    const termUsed = term !== null && term.test(all);
    for (const f of side.forbidden ?? []) {
      const re = compile(f, "giu");
      if (!compile(f).test(all)) continue;
      for (const [key, text] of texts) {
        for (const m of text.matchAll(re)) {
          const how = termUsed ? "written two ways" : "forbidden variant";
          problems.push(`${lng} ${key}: «${m[0]}» — ${c.id} ${how}, use «${side.term}»`);
        }
      }
    }
    if (side.sentenceMustMention && term) {
      const marker = compile(side.sentenceMustMention);
      for (const [key, text] of texts) {
        for (const s of sentences(text)) {
          if (term.test(s) && !marker.test(s))
            problems.push(`${lng} ${key}: «${s.slice(0, 80)}» — ${c.id}: ${c.note.slice(0, 80)}`);
        }
      }
    }
    for (const key of side.labels ?? []) {
      const text = texts.get(key);
      if (text === undefined) problems.push(`${lng} ${key}: missing (listed as a label of ${c.id})`);
      else if (term && !term.test(text))
        problems.push(`${lng} ${key}: «${text}» — the label of ${c.id} says «${side.term}»`);
    }
  }
  return problems;
}

const resources = loadResources();
const texts: Record<Locale, Texts> = { ru: flatten(resources.ru), kk: flatten(resources.kk) };

describe("glossary: one term per concept in every text (locales/glossary.json)", () => {
  it("the glossary is well formed: unique ids, every pattern compiles", () => {
    const ids = glossary.concepts.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of glossary.concepts)
      for (const side of [c.ru, c.kk])
        for (const p of [side.pattern, side.sentenceMustMention, ...(side.forbidden ?? [])])
          if (p !== undefined) expect(() => compile(p), `${c.id}: ${p}`).not.toThrow();
  });

  it.each(["ru", "kk"] as const)("%s: no forbidden variant, no concept written two ways", (lng) => {
    expect(glossaryProblems(lng, texts[lng])).toEqual([]);
  });

  it.each(["ru", "kk"] as const)("%s: every concept's own term is what the texts use (no stale entry)", (lng) => {
    const unused = glossary.concepts
      .filter((c) => c[lng].pattern !== undefined)
      .filter((c) => ![...texts[lng].values()].some((t) => compile(c[lng].pattern ?? "").test(visible(t))))
      .map((c) => c.id);
    expect(unused).toEqual([]);
  });

  it("a forbidden variant put back into a text is caught, and named as a concept written two ways", () => {
    const broken = (lng: Locale, key: string, from: RegExp, to: string): Texts => {
      const copy = new Map(texts[lng]);
      const text = copy.get(key) ?? "";
      expect(from.test(text), `${key} has ${from.source}`).toBe(true);
      copy.set(key, text.replace(from, to));
      return copy;
    };
    // тіркелу for attachment (it also means registration at an address).
    const attach = glossaryProblems("kk", broken("kk", "menu.check", /Бекітілуге/, "Тіркелуге"));
    expect(attach.join("\n")).toMatch(/menu\.check: «Тіркел» — attach written two ways/);
    // The bot's request called өтініш (the signed application's word) in a sentence about the bot.
    const request = glossaryProblems("kk", broken("kk", "apply.summary.title", /Өтінімді/, "Өтінішті"));
    expect(request.join("\n")).toMatch(/apply\.summary\.title: «Өтінішті тексеріңіз» — application/);
    // Free choice written another way, a calque, the redundant «Сіздің».
    expect(
      glossaryProblems("kk", broken("kk", "rules.grounds.free_choice.title", /Еркін таңдау/, "Өз қалауым бойынша")),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/«Өз қалау» — free_choice written two ways/)]));
    expect(glossaryProblems("kk", broken("kk", "check.grounds", /^.*$/s, "Бүгін ашық негіздер:")).join("\n")).toMatch(
      /«ашық негіз» — ground/,
    );
    expect(
      glossaryProblems("kk", broken("kk", "requests.title", /Өтінімдеріңіз/, "Сіздің өтінімдеріңіз")).join(),
    ).toMatch(/redundant_you/);
    // Russian: officialese a citizen stumbles on.
    expect(
      glossaryProblems(
        "ru",
        broken("ru", "rules.reasons.clinic_full", /нет свободных мест/, "превышен лимит прикреплённого населения"),
      ).join(),
    ).toMatch(/free_places written two ways/);
    // A category label that says «status».
    expect(glossaryProblems("ru", broken("ru", "apply.step_names.category", /Категория/, "Статус")).join()).toMatch(
      /apply\.step_names\.category: «Статус» — the label of category/,
    );
  });
});
