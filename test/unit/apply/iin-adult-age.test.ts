import { beforeAll, describe, expect, it, vi } from "vitest";
import type { BaseContext } from "../../../bot/context.js";
import { iinProblem } from "../../../bot/features/apply/steps/iin.js";
import { createI18n } from "../../../bot/i18n.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../../dates.js";

// The rules' adult age, moved: the IIN step must follow it (R11 has one source of truth, rules/iin.ts).
vi.mock("../../../rules/index.js", async (importOriginal) => ({ ...(await importOriginal<object>()), ADULT_AGE: 21 }));

let ctx: BaseContext;
beforeAll(async () => {
  const i18n = await createI18n();
  ctx = { t: i18n.t("ru") } as unknown as BaseContext;
});

describe("R11: the IIN step's age of majority is the rules' ADULT_AGE", () => {
  const now = new Date(IN_CAMPAIGN);
  const nineteen = makeIin("070101", 5, 1); // 19 on the day

  it("a 19-year-old is a child under an adult age of 21: taken for a child, not for oneself", () => {
    expect(iinProblem(ctx, nineteen, true, now)).toBeNull();
    expect(iinProblem(ctx, nineteen, false, now)).toContain(ctx.t("apply.iin.self_is_child"));
  });
});
