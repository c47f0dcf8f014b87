import { beforeAll, describe, expect, it } from "vitest";
import type { BaseContext } from "../../../bot/context.js";
import { iinProblem, normaliseIin } from "../../../bot/features/apply/steps/iin.js";
import { createI18n } from "../../../bot/i18n.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../../dates.js";

let ru: BaseContext;
let kk: BaseContext;
beforeAll(async () => {
  const i18n = await createI18n();
  ru = { t: i18n.t("ru") } as unknown as BaseContext;
  kk = { t: i18n.t("kk") } as unknown as BaseContext;
});

describe("R18: an IIN typed the way people type it", () => {
  const now = new Date(IN_CAMPAIGN);
  const iin = makeIin("900101", 3, 77);
  const spaced = `${iin.slice(0, 4)} ${iin.slice(4, 8)}-${iin.slice(8)}`;

  it("spaces, dashes and words around one group of 12 digits are taken off", () => {
    for (const typed of [iin, spaced, `мой ИИН ${iin}`, `ЖСН: ${spaced}.`, `ИИН — ${iin}!`]) {
      expect(normaliseIin(typed), typed).toBe(iin);
      expect(iinProblem(ru, typed, false, now), typed).toBeNull();
    }
  });

  it("words with a wrong number of digits are answered with the count of digits, not of letters (ru, kk)", () => {
    const typed = `мой ИИН ${iin.slice(0, 4)} ${iin.slice(4, 11)}`;
    expect(iinProblem(ru, typed, false, now)).toContain(ru.t("apply.iin.errors.length", { count: 11 }));
    expect(iinProblem(kk, typed, false, now)).toContain(kk.t("apply.iin.errors.length", { count: 11 }));
  });

  it("two numbers, or no digits at all, are answered 'digits only' (ru, kk)", () => {
    for (const typed of [`${iin} и ${iin}`, "не знаю"]) {
      expect(iinProblem(ru, typed, false, now), typed).toContain(ru.t("apply.iin.errors.not_digits"));
      expect(iinProblem(kk, typed, false, now), typed).toContain(kk.t("apply.iin.errors.not_digits"));
    }
  });

  it("only digits, too few: the count is of the digits sent", () => {
    expect(iinProblem(ru, iin.slice(0, 11), false, now)).toContain(ru.t("apply.iin.errors.length", { count: 11 }));
  });
});
