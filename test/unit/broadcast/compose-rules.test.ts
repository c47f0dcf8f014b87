import { describe, expect, it } from "vitest";
import { languagesOf, previousStep, stepOf, type Draft } from "../../../bot/features/broadcast/compose-draft.js";
import { languageFor } from "../../../bot/features/broadcast/message.js";
import { isQuietHour, nextMorning, QUIET_HOURS } from "../../../bot/features/broadcast/quiet-hours.js";
import type { BroadcastRow } from "../../../data/repositories/broadcasts.js";

const almaty = (local: string) => new Date(`${local}+05:00`).toISOString();
const draft = (audience: Draft["audience"], extra: Partial<Draft> = {}): Draft => ({
  step: "summary",
  photo: null,
  ...(audience ? { audience } : {}),
  ...extra,
});

describe("quiet hours (Almaty, R17)", () => {
  it("night is 21:00 up to 09:00 Almaty, whatever the UTC day", () => {
    expect(QUIET_HOURS).toEqual({ from: "21:00", until: "09:00" });
    for (const t of [
      "2026-09-16T03:00",
      "2026-09-15T21:00",
      "2026-09-15T23:59",
      "2026-09-16T00:00",
      "2026-09-16T08:59",
    ])
      expect(isQuietHour(almaty(t)), t).toBe(true);
    for (const t of ["2026-09-16T09:00", "2026-09-16T12:00", "2026-09-16T20:59"])
      expect(isQuietHour(almaty(t)), t).toBe(false);
    expect(isQuietHour("2026-09-16T04:30:00.000Z")).toBe(false); // 09:30 in Almaty
    expect(isQuietHour("2026-09-15T18:30:00.000Z")).toBe(true); // 23:30 in Almaty
  });

  it("the next morning: the same day before 09:00, the next day from 21:00, across a month and a year", () => {
    expect(nextMorning(almaty("2026-09-16T03:00"))).toBe(almaty("2026-09-16T09:00"));
    expect(nextMorning(almaty("2026-09-15T23:30"))).toBe(almaty("2026-09-16T09:00"));
    expect(nextMorning(almaty("2026-09-15T21:00"))).toBe(almaty("2026-09-16T09:00"));
    expect(nextMorning(almaty("2026-09-30T22:00"))).toBe(almaty("2026-10-01T09:00"));
    expect(nextMorning(almaty("2026-12-31T23:00"))).toBe(almaty("2027-01-01T09:00"));
    expect(nextMorning(almaty("2026-09-16T09:00"))).toBe(almaty("2026-09-16T09:00"));
  });
});

describe("the steps of /broadcast", () => {
  it("an audience by language needs its one text: three steps; any other audience both: four", () => {
    expect(languagesOf({ kind: "language", language: "kk" })).toEqual(["kk"]);
    expect(languagesOf({ kind: "all" })).toEqual(["ru", "kk"]);
    const kk = draft({ kind: "language", language: "kk" });
    expect([stepOf(kk, "kk"), stepOf(kk, "summary")]).toEqual([
      { step: 2, total: 3 },
      { step: 3, total: 3 },
    ]);
    const both = draft({ kind: "pending" });
    expect([stepOf(both, "ru"), stepOf(both, "kk"), stepOf(both, "summary")]).toEqual([
      { step: 2, total: 4 },
      { step: 3, total: 4 },
      { step: 4, total: 4 },
    ]);
  });

  it("'← Назад' leads to the step before; none on the first; the night warning back to where its time came from", () => {
    const both = draft({ kind: "all" });
    expect([
      previousStep(both, "audience"),
      previousStep(both, "ru"),
      previousStep(both, "kk"),
      previousStep(both, "summary"),
    ]).toEqual([null, "audience", "ru", "kk"]);
    const ru = draft({ kind: "language", language: "ru" });
    expect([previousStep(ru, "ru"), previousStep(ru, "summary"), previousStep(ru, "language")]).toEqual([
      "audience",
      "ru",
      "audience",
    ]);
    expect(previousStep(draft({ kind: "language", language: "kk" }), "kk")).toBe("audience");
    expect(previousStep(both, "when")).toBe("summary");
    expect(previousStep({ ...both, sendAt: null }, "night")).toBe("summary");
    expect(previousStep({ ...both, sendAt: "2026-09-15T22:00:00.000Z" }, "night")).toBe("when");
  });
});

describe("the language a recipient gets", () => {
  const row = (ru: string | null, kk: string | null, kind: BroadcastRow["kind"] = "broadcast") =>
    ({ kind, text_ru: ru, text_kk: kk }) as BroadcastRow;
  it("the language used now when the broadcast has it; else the only text there is (an audience by language)", () => {
    expect(languageFor(row("ru", "kk"), "kk", "ru")).toBe("kk");
    expect(languageFor(row("ru", "kk"), null, "kk")).toBe("kk");
    expect(languageFor(row(null, "kk"), "ru", "kk")).toBe("kk");
    expect(languageFor(row("ru", null), "kk", "kk")).toBe("ru");
    expect(languageFor(row(null, null, "reminder"), "kk", "ru")).toBe("kk");
  });
});
