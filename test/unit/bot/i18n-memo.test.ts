import { describe, expect, it } from "vitest";
import { createI18n, LOCALES } from "../../../bot/i18n.js";
import { i18nReference as reference, keys } from "../../fixtures/i18n-reference.js";

describe("translations kept per key", () => {
  it("answer every key exactly as i18next does, twice, and still interpolate when given options", async () => {
    const i18n = await createI18n();
    const { resources, plain } = await reference();
    for (const locale of LOCALES) {
      const t = i18n.t(locale);
      const reference = plain.getFixedT(locale);
      for (const key of keys(resources[locale])) {
        expect(t(key)).toBe(reference(key));
        expect(t(key)).toBe(reference(key));
      }
      expect(t("apply.iin.accepted", { masked: "9001•••••123" })).toBe(
        reference("apply.iin.accepted", { masked: "9001•••••123" }),
      );
      expect(t("apply.iin.accepted", { masked: "<b>" })).toContain("&lt;b&gt;");
    }
  });

  it("answer every key with values as i18next's getFixedT does: plurals, escaping, a missing key, fallbacks", async () => {
    const i18n = await createI18n();
    const { resources, plain } = await reference();
    const values = { count: 2, n: 3, name: "<b>Ә & Ы</b>", field: "поле", free: 5, masked: "9001•••••123" };
    let compared = 0;
    for (const locale of LOCALES) {
      const t = i18n.t(locale);
      const reference = plain.getFixedT(locale);
      for (const key of keys(resources[locale])) {
        const text = String(plain.getResource(locale, "translation", key));
        // Texts with a grammatical form (`{{date, day_abl}}`) need the bot's formatters, which the reference lacks.
        if (/\{\{[^}]*,/.test(text)) continue;
        expect(t(key, values)).toBe(reference(key, values));
        compared++;
      }
      expect(t("no.such.key", values)).toBe(reference("no.such.key", values));
      expect(t(["no.such.key", "common.back"], values)).toBe(reference(["no.such.key", "common.back"], values));
      // A language the call names itself wins, as with getFixedT.
      expect(t("common.back", { lng: "kk" })).toBe(reference("common.back", { lng: "kk" }));
      expect(t("common.back", { lng: "kk" })).toBe(i18n.t("kk")("common.back"));
    }
    expect(compared).toBeGreaterThan(500);
  });
});
