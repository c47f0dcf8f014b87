import { describe, expect, it } from "vitest";
import { advance, settle } from "../../../bot/features/apply/progress.js";
import { parseDraft, type Draft } from "../../../bot/application/draft.js";
import type { StepResult } from "../../../bot/features/apply/step.js";
import { makeIin } from "../../../scripts/stack/people.js";

const complete: Draft = parseDraft({
  step: "summary",
  forChild: false,
  category: "citizen",
  iin: makeIin("900101", 3, 5),
  regionId: "almaty",
  settlementId: "almaty",
  clinicId: "almaty-gp-1",
  ground: "free_choice",
  residenceKind: "registered",
});

/** One answer: the step's result, then the redirect to whatever is unanswered. */
const pass = (d: Draft, r: StepResult) => settle(advance(d, r));

describe("an edit from the summary goes on through the steps that depend on it", () => {
  it("R4: place → an oblast drops the settlement and the clinic; settlement → clinic → summary", () => {
    let d = pass(complete, { kind: "edit", step: "region" });
    expect(d).toMatchObject({ step: "region", returnToSummary: true });
    d = pass(d, { kind: "next", patch: { regionId: "abai", settlementId: undefined } });
    expect(d).toMatchObject({ step: "settlement", regionId: "abai", settlementId: undefined, clinicId: undefined });
    d = pass(d, { kind: "next", patch: { settlementId: "semey", regionId: "abai" } });
    expect(d.step).toBe("clinic");
    d = pass(d, { kind: "next", patch: { clinicId: "sample-semey-01" } });
    expect(d).toMatchObject({
      step: "summary",
      returnToSummary: false,
      editFrom: undefined,
      clinicId: "sample-semey-01",
    });
  });

  it("R4: the same city picked again keeps the clinic and returns to the summary", () => {
    const d = pass(pass(complete, { kind: "edit", step: "region" }), {
      kind: "goto",
      step: "clinic",
      patch: { regionId: "almaty", settlementId: "almaty" },
    });
    expect(d).toMatchObject({ step: "summary", clinicId: "almaty-gp-1" });
  });

  it("R11: who self → child drops the status and the IIN and asks them again", () => {
    let d = pass(complete, { kind: "edit", step: "who" });
    d = pass(d, { kind: "next", patch: { forChild: true } });
    expect(d).toMatchObject({ step: "category", category: undefined, iin: undefined, forChild: true });
    d = pass(d, { kind: "next", patch: { category: "citizen" } });
    expect(d.step).toBe("iin");
    d = pass(d, { kind: "next", patch: { iin: makeIin("150505", 5, 6) } });
    expect(d.step).toBe("summary");
  });

  it("the same who answer changes nothing and returns to the summary", () => {
    const d = pass(pass(complete, { kind: "edit", step: "who" }), { kind: "next", patch: { forChild: false } });
    expect(d).toMatchObject({ step: "summary", iin: complete.iin, category: "citizen" });
  });

  it("R12: documents still missing send the summary to the documents step", () => {
    const d = settle({ ...complete, residenceKind: "temporary", requiredDocs: ["residence_proof"] });
    expect(d.step).toBe("documents");
  });

  it("Back from the step the edit started at returns to the summary; from a later one, to the step before", () => {
    const atRegion = pass(complete, { kind: "edit", step: "region" });
    expect(pass(atRegion, { kind: "back" }).step).toBe("summary");
    const atSettlement = pass(atRegion, { kind: "next", patch: { regionId: "abai", settlementId: undefined } });
    expect(pass(atSettlement, { kind: "back" }).step).toBe("region");
  });

  it("outside an edit, answers go on step by step as before", () => {
    const d = pass(
      { ...complete, step: "ground", ground: undefined },
      { kind: "next", patch: { ground: "free_choice" } },
    );
    expect(d.step).toBe("residence");
    expect(pass({ ...complete, step: "residence" }, { kind: "back" }).step).toBe("ground");
  });
});
