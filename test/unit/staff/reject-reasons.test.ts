import { describe, expect, it, vi } from "vitest";
import { REJECT_REASONS, rejectCb } from "../../../bot/features/staff/callbacks.js";
import type * as Rules from "../../../rules/index.js";

// A new R14 ground in the rules (made up here) must reach the reviewer's buttons without a second list to update.
vi.mock("../../../rules/index.js", async (importOriginal) => {
  const rules = await importOriginal<typeof Rules>();
  return { ...rules, REFUSAL_GROUNDS: { ...rules.REFUSAL_GROUNDS, made_up_ground: ["unreliable_data"] } };
});

describe("R14: the reviewer's refusal reasons are the rules' REFUSAL_GROUNDS plus a written 'other'", () => {
  it("R14: a ground added to the rules is offered, with 'other' last, and its button data round-trips", async () => {
    const { REFUSAL_GROUNDS } = await import("../../../rules/index.js");
    expect(REJECT_REASONS).toEqual([...Object.keys(REFUSAL_GROUNDS), "other"]);
    expect(REJECT_REASONS).toContain("made_up_ground");
    expect(rejectCb.parse(rejectCb.data("made_up_ground" as never, 7))).toEqual(["made_up_ground", 7]);
  });
});
