import { describe, expect, it } from "vitest";
import { createI18n, LOCALES } from "../../../bot/i18n.js";
import { compileTemplate, templateFiller } from "../../../bot/i18n-templates.js";
import { i18nReference, keys } from "../../fixtures/i18n-reference.js";

/** i18next itself, with the bot's forms: what every answer must equal. */
const reference = () => i18nReference({ forms: true });

/** A value for a slot: a date or an instant where the format wants one, a number, else text to escape. */
function valueFor(format: string | undefined, variant: number): string | number {
  if (format?.startsWith("num")) return variant ? "12" : 40;
  if (format?.startsWith("time")) return "2026-09-15T09:03:00.000Z";
  if (format) return variant ? "2026-09-01T10:00:00+05:00" : "2026-12-16";
  return variant ? 7 : `<b>"Ә' & Ы/</b>`;
}

describe("texts with values filled from their parts", () => {
  it("answer every plain text with its values exactly as i18next does, formats and escaping included", async () => {
    const { resources, plain } = await reference();
    const i18n = await createI18n();
    let fast = 0;
    for (const locale of LOCALES) {
      const t = i18n.t(locale);
      const ref = plain.getFixedT(locale);
      const filler = templateFiller(plain, locale, "ru");
      for (const key of keys(resources[locale])) {
        const parts = compileTemplate(String(plain.getResource(locale, "translation", key)));
        if (!parts) continue;
        for (const variant of [0, 1]) {
          const values: Record<string, string | number> = {};
          for (const p of parts) if (typeof p !== "string") values[p.name] = valueFor(p.format, variant);
          const expected = ref(key, values);
          expect(t(key, values), `${locale} ${key}`).toBe(expected);
          if (filler(key, values) !== undefined) fast++;
        }
      }
    }
    // The comparison is of the fast path, not of i18next with itself.
    expect(fast).toBeGreaterThan(400);
  });

  it("leave to i18next the calls they do not cover, with the same answers", async () => {
    const { plain } = await reference();
    const i18n = await createI18n();
    for (const locale of LOCALES) {
      const t = i18n.t(locale);
      const ref = plain.getFixedT(locale);
      const filler = templateFiller(plain, locale, "ru");
      const key = "apply.iin.accepted";
      const calls: Record<string, unknown>[] = [
        {},
        { masked: undefined },
        { masked: null },
        { masked: { a: 1 } },
        { masked: "$t(common.back)" },
        { masked: "1", count: 2 },
        { masked: "1", context: "male" },
        { masked: "1", defaultValue_one: "x" },
        { masked: "1", replace: { masked: "2" } },
        { masked: "1", lng: locale === "ru" ? "kk" : "ru" },
      ];
      for (const values of calls) {
        expect(filler(key, values)).toBeUndefined();
        expect(t(key, values)).toBe(ref(key, values));
      }
      expect(filler(key, { masked: "1", lng: locale })).toBe(ref(key, { masked: "1" }));
      // A name the text does not use changes nothing, in i18next as here.
      expect(filler(key, { masked: "<1>", km: 3, why: "x" })).toBe(ref(key, { masked: "<1>", km: 3, why: "x" }));
      expect(filler("no.such.key", { masked: "1" })).toBeUndefined();
      expect(t("no.such.key", { masked: "1" })).toBe(ref("no.such.key", { masked: "1" }));
    }
  });

  it("split only plain slots", () => {
    expect(compileTemplate("a {{x}} b {{ y , day_abl }}!")).toEqual([
      "a ",
      { name: "x" },
      " b ",
      { name: "y", format: "day_abl" },
      "!",
    ]);
    expect(compileTemplate("no slots")).toEqual(["no slots"]);
    expect(compileTemplate("$t(common.back) {{x}}")).toBeNull();
    expect(compileTemplate("{{- x}}")).toBeNull();
    expect(compileTemplate("{{a.b}}")).toBeNull();
    expect(compileTemplate("{{count}} items")).toBeNull();
  });
});
