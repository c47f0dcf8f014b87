import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CallbackRegistry, callbackUnion } from "../../../bot/callback-data.js";
import type { BaseContext } from "../../../bot/context.js";
import { CATEGORIES } from "../../../bot/application/draft.js";
import { matchTyped, normalise } from "../../../bot/features/apply/typed.js";
import { createI18n } from "../../../bot/i18n.js";
import { FEATURES } from "../../../bot/features/index.js";

let ctx: BaseContext;
beforeAll(async () => {
  const i18n = await createI18n();
  ctx = { deps: { i18n } } as unknown as BaseContext;
});

describe("typed answers name an option", () => {
  const categories = () => CATEGORIES.map((c) => ({ parts: [c], label: `apply.category.options.${c}` }));

  it("R1: by its label in either language, its start, its number", () => {
    expect(matchTyped(ctx, "Гражданин РК", categories())).toEqual(["citizen"]);
    expect(matchTyped(ctx, "ҚР азаматы", categories())).toEqual(["citizen"]);
    expect(matchTyped(ctx, "гражданин", categories())).toEqual(["citizen"]);
    expect(matchTyped(ctx, "кандас", categories())).toEqual(["kandas"]);
    expect(matchTyped(ctx, "2", categories())).toEqual(["kandas"]);
    expect(matchTyped(ctx, "3.", categories())).toEqual(["refugee"]);
  });

  it("nothing for an unknown, ambiguous or out-of-range answer, or digits inside other text", () => {
    expect(matchTyped(ctx, "марсианин", categories())).toBeNull();
    expect(matchTyped(ctx, "9", categories())).toBeNull();
    expect(matchTyped(ctx, "no 2 thanks", categories())).toBeNull();
    const grounds = ["residence_change", "work_change", "study_change"].map((g) => ({
      parts: [g],
      label: `rules.grounds.${g}.title`,
    }));
    expect(matchTyped(ctx, "смена", grounds)).toBeNull();
    expect(matchTyped(ctx, "смена места работы", grounds)).toEqual(["work_change"]);
  });

  it("normalises case, ё and punctuation", () => {
    expect(normalise("  ✅ Учёба, ГОТОВО!  ")).toBe("учеба готово");
  });
});

describe("callback data of a question is validated with zod", () => {
  const region = callbackUnion(
    "a:region",
    z.union([z.tuple([z.literal("loc")]), z.tuple([z.literal("s"), z.string().regex(/^[\w-]{1,40}$/)])]),
  );

  it("round-trips every shape, refuses the rest", () => {
    expect(region.parse(region.data("loc"))).toEqual(["loc"]);
    expect(region.parse(region.data("s", "semey"))).toEqual(["s", "semey"]);
    for (const bad of [
      "a:region",
      "a:region:",
      "a:region:loc:extra",
      "a:region:s",
      "a:region:s:../x",
      "a:regionx:loc",
      "a:iin:loc",
      `a:region:s:${"x".repeat(70)}`,
      undefined,
    ]) {
      expect(region.parse(bad), String(bad)).toBeNull();
    }
  });

  it("knows which prefixes a feature declared (those answer their own forged buttons)", () => {
    // As createDeps builds it, from what every feature declares.
    const callbacks = new CallbackRegistry(FEATURES.flatMap((f) => f.callbacks ?? []));
    const isDeclaredCallback = (data: string | undefined) => callbacks.isDeclared(data);
    for (const known of ["menu:apply", "lang:kk", "ap2:go", "wd:yes:1", "a:nav:back", "faq:x"])
      expect(isDeclaredCallback(known), known).toBe(true);
    for (const unknown of ["zzz:1", "ap", "menux:apply", "", undefined])
      expect(isDeclaredCallback(unknown), String(unknown)).toBe(false);
  });
});
