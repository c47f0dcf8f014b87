import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The FAQ, "about" and "contacts" texts live in locales/<lng>/faq.json and are sent with parse_mode HTML.
const LOCALES = ["ru", "kk"] as const;
type Locale = (typeof LOCALES)[number];

interface FaqItem {
  q: string;
  a: string;
}
interface Faq {
  title: string;
  items: Record<string, FaqItem>;
  about: string;
  contacts: string;
  /** The campaign answer for a year without a campaign (policy campaign: null). */
  campaign_all_year: string;
  /** R7: a window no official text confirms, and a provisional year without a campaign. */
  campaign_expected: string;
  campaign_not_announced: string;
  /** R8: the grounds answer for a year without a campaign. */
  change_no_campaign: string;
  /** R11: the small-children answer for a policy without attachment at the actual residence. */
  child_under_five_none: string;
}

function load(lng: Locale): Faq {
  const raw = readFileSync(new URL(`../../locales/${lng}/faq.json`, import.meta.url), "utf8");
  return JSON.parse(raw) as Faq;
}

const faq: Record<Locale, Faq> = { ru: load("ru"), kk: load("kk") };

const MAX_Q = 60;
const MAX_A = 1500;
const MAX_PAGE = 3000;
/** Same shape as the callback codec in bot/features/faq accepts; "list" is the codec's own "back to list" value. */
const ID_RE = /^[a-z0-9_]{1,40}$/;
const RESERVED_IDS = ["list"];

/** Every key path in an object, e.g. "items.campaign.q", so the two languages can be compared as sets. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keyPaths(v, prefix ? `${prefix}.${k}` : k),
  );
}

/** All texts of one file with a label for failure messages. */
function texts(f: Faq): Array<[string, string]> {
  return [
    ["title", f.title],
    ...Object.entries(f.items).flatMap(([id, it]): Array<[string, string]> => [
      [`items.${id}.q`, it.q],
      [`items.${id}.a`, it.a],
    ]),
    ["campaign_all_year", f.campaign_all_year],
    ["campaign_expected", f.campaign_expected],
    ["campaign_not_announced", f.campaign_not_announced],
    ["change_no_campaign", f.change_no_campaign],
    ["child_under_five_none", f.child_under_five_none],
    ["about", f.about],
    ["contacts", f.contacts],
  ];
}

/** Problems with Telegram HTML: only <b> and <i>, balanced and properly nested, no raw '&', '<' or '>'. */
function htmlProblems(s: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tagRe = /<(\/?)([a-z]+)>/g;
  let last = 0;
  for (let m = tagRe.exec(s); m; m = tagRe.exec(s)) {
    const between = s.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`raw < or > near "${between.slice(-20)}"`);
    last = m.index + m[0].length;
    const [, close, name = ""] = m;
    if (name !== "b" && name !== "i") {
      problems.push(`tag <${close}${name}> not allowed`);
      continue;
    }
    if (close) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else {
      if (stack.includes(name)) problems.push(`nested <${name}> inside itself`);
      stack.push(name);
    }
  }
  if (/[<>]/.test(s.slice(last))) problems.push("raw < or > after the last tag");
  if (stack.length) problems.push(`unclosed ${stack.map((t) => `<${t}>`).join(", ")}`);
  const badAmp = s.match(/&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)/g);
  if (badAmp) problems.push(`${badAmp.length} raw '&'`);
  return problems;
}

describe("locales faq.json (FAQ, about, contacts)", () => {
  it("ru and kk have identical key sets and the same item order", () => {
    expect(keyPaths(faq.kk).sort()).toEqual(keyPaths(faq.ru).sort());
    expect(Object.keys(faq.kk.items)).toEqual(Object.keys(faq.ru.items));
  });

  for (const lng of LOCALES) {
    describe(lng, () => {
      const f = faq[lng];

      it("has a title, about, contacts and at least 10 items", () => {
        expect(f.title.trim()).not.toBe("");
        expect(f.about.trim()).not.toBe("");
        expect(f.contacts.trim()).not.toBe("");
        expect(Object.keys(f.items).length).toBeGreaterThanOrEqual(10);
      });

      it("item ids are stable snake_case ASCII usable in callback data", () => {
        for (const id of Object.keys(f.items)) {
          expect(id, id).toMatch(ID_RE);
          expect(RESERVED_IDS, id).not.toContain(id);
          expect(Buffer.byteLength(`faq:${id}`), id).toBeLessThanOrEqual(64);
        }
      });

      it("every item has a non-empty q and a", () => {
        for (const [id, it] of Object.entries(f.items)) {
          expect(typeof it.q, id).toBe("string");
          expect(typeof it.a, id).toBe("string");
          expect(it.q.trim(), id).not.toBe("");
          expect(it.a.trim(), id).not.toBe("");
        }
      });

      it(`questions are button labels: ≤ ${MAX_Q} chars, plain text, one line`, () => {
        for (const [id, it] of Object.entries(f.items)) {
          expect([...it.q].length, id).toBeLessThanOrEqual(MAX_Q);
          expect(it.q, id).not.toMatch(/[<>&\n]/);
        }
        expect(f.title, "title").not.toMatch(/[<>&\n]/);
      });

      it(`answers ≤ ${MAX_A} chars, about and contacts ≤ ${MAX_PAGE}`, () => {
        for (const [id, it] of Object.entries(f.items)) {
          expect([...it.a].length, id).toBeLessThanOrEqual(MAX_A);
        }
        expect([...f.about].length).toBeLessThanOrEqual(MAX_PAGE);
        expect([...f.contacts].length).toBeLessThanOrEqual(MAX_PAGE);
      });

      it("uses only <b>/<i>, balanced, with no raw '&', '<' or '>'", () => {
        for (const [where, s] of texts(f)) expect(htmlProblems(s), where).toEqual([]);
      });

      it("interpolates only the policy in effect (bot/features/faq/policy-text.ts), no i18next nesting", () => {
        const POLICY_VARS = new Set([
          ...["year", "start", "end", "effective", "quota", "ends", "days", "under"],
          // Sentences built from the policy (bot/ui/policy-words.ts): the campaign, the quota rule, the grounds.
          ...["campaign", "quota_rule", "grounds"],
        ]);
        for (const [where, s] of texts(f)) {
          expect(s, where).not.toMatch(/\$t\(/);
          for (const m of s.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g))
            expect(POLICY_VARS.has(m[1] ?? ""), `${where}: {{${m[1]}}}`).toBe(true);
        }
      });

      it("says the bot never asks for ЭЦП keys, passwords or payments, and names eGov and 1414", () => {
        const esign = lng === "ru" ? "ЭЦП" : "ЭЦҚ";
        expect(f.about).toContain(esign);
        expect(f.about).toContain("eGov");
        expect(f.contacts).toContain("1414");
        expect(f.contacts).toContain("msqory.kz");
        expect(f.items.safety?.a).toContain(esign);
        expect(f.items.safety?.a).toContain("SMS");
      });

      it("does not hard-code a year in the texts (campaign dates are policy), except the day a law took effect", () => {
        // A past fact, not policy: the akimats pay some groups' contributions since 1 January 2026.
        const DATED = new Set(["items.insurance.a"]);
        for (const [where, s] of texts(f)) if (!DATED.has(where)) expect(s, where).not.toMatch(/\b20\d\d\b/);
        expect(f.items.insurance?.a).toMatch(/\b2026\b/);
      });

      it("answers the questions the law change raised: ОСМС insurance, the current clinic, a child under five", () => {
        const [osms, fund] = lng === "ru" ? ["ОСМС", "ФСМС"] : ["МӘМС", "ӘМСҚ"];
        expect(f.items.insurance?.a).toContain(osms);
        expect(f.items.insurance?.a).toContain("1414");
        expect(f.items.insurance?.a).toContain(fund);
        expect(f.items.current_clinic?.a).toContain("eGov");
        expect(f.items.current_clinic?.a).toContain("/status");
        expect(f.items.current_clinic?.a).toContain("1414");
        expect(f.items.child_under_five?.a).toContain("{{under}}");
        // Attachment is бекіту / бекітілу in Kazakh, never тіркелу (registration at an address).
        if (lng === "kk") {
          for (const id of ["insurance", "current_clinic", "child_under_five"])
            expect(f.items[id]?.a, id).not.toMatch(/тіркел[уе]/i);
        }
      });

      it("no longer says a campaign change counts toward the quota, nor offers work or study as a ground", () => {
        const [counts, work] =
          lng === "ru" ? ["засчитывается", "работы или учёбы"] : ["есептеледі", "жұмыс немесе оқу"];
        for (const id of ["campaign", "change_outside_campaign"]) {
          expect(f.items[id]?.a, id).not.toContain(counts);
          expect(f.items[id]?.a, id).not.toContain(work);
        }
      });
    });
  }

  it("the HTML checker catches the mistakes it is meant to catch", () => {
    expect(htmlProblems("<b>ok</b> &amp; <i>fine</i>")).toEqual([]);
    expect(htmlProblems("<b>open")).not.toEqual([]);
    expect(htmlProblems("<b><i>x</b></i>")).not.toEqual([]);
    expect(htmlProblems("<a>x</a>")).not.toEqual([]);
    expect(htmlProblems("1 < 2")).not.toEqual([]);
    expect(htmlProblems("A & B")).not.toEqual([]);
  });
});
