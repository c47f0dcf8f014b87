import { describe, expect, it } from "vitest";
import { clinicReasons, DecisionSchema, evaluate, type Category, type EvaluationInput } from "../../../rules/index.js";
import {
  ALMATY_ATU,
  ASTANA_ATU,
  almaty,
  baseInput,
  calendar,
  goodClinic,
  makeIin,
  policy2025,
  policy2026,
  withPolicy,
} from "./helpers.js";

const spring = almaty("2026-04-15", "10:00");
const run = (patch: Partial<EvaluationInput>, now = spring, policy = policy2026) => {
  const d = evaluate(baseInput(now, patch), policy, calendar);
  DecisionSchema.parse(d); // every decision is a valid Decision, and a refusal has a reason
  return d;
};

describe("R1, R2: who may attach", () => {
  it.each([
    ["citizen", [], []],
    ["kandas", [], []],
    ["refugee", [], []],
    ["residence_permit", [], ["residence_permit"]],
    ["eaeu_worker", [], ["insurance_contract"]],
    ["eaeu_family", [], ["insurance_contract"]],
    ["foreign_insured", [], ["insurance_contract"]],
    ["other", ["category_not_eligible"], []],
  ] as [Category, string[], string[]][])("R1, R2: %s", (category, reasons, docs) => {
    const d = run({ applicant: { category } });
    if (reasons.length) {
      expect(d.outcome).toBe("refused");
      expect(d.reasons).toEqual(reasons);
    } else {
      expect(d.outcome).toBe(docs.length ? "needsDocuments" : "accepted");
    }
    expect(d.requiredDocuments).toEqual(docs);
  });

  it("R1: a residence-permit holder with the permit uploaded is accepted", () => {
    expect(run({ applicant: { category: "residence_permit" }, documents: ["residence_permit"] }).outcome).toBe(
      "accepted",
    );
  });

  it("R2: an EAEU worker with a valid contract: accepted, the attachment ends with the contract", () => {
    const d = run({
      applicant: { category: "eaeu_worker", insurance: { kind: "compulsory", validUntil: "2026-12-31" } },
      documents: ["insurance_contract"],
    });
    expect(d.outcome).toBe("accepted");
    expect(d.attachmentEndsOn).toBe("2026-12-31");
    expect(d.notes).toContainEqual({ code: "insurance_term", vars: { date: "2026-12-31" } });
  });

  it("R2: an expired contract, or one ending before a campaign attachment takes effect, is refused", () => {
    expect(
      run({ applicant: { category: "eaeu_family", insurance: { kind: "voluntary", validUntil: "2026-04-14" } } })
        .reasons,
    ).toEqual(["insurance_expired"]);
    expect(
      run({
        applicant: { category: "eaeu_family", insurance: { kind: "voluntary", validUntil: "2026-04-15" } },
        documents: ["insurance_contract"],
      }).outcome,
    ).toBe("accepted");
    const autumn = almaty("2026-10-01");
    const ins = {
      category: "foreign_insured" as const,
      insurance: { kind: "voluntary" as const, validUntil: "2026-12-01" },
    };
    expect(run({ applicant: ins, ground: "free_choice", documents: ["insurance_contract"] }, autumn).reasons).toEqual([
      "insurance_expired",
    ]);
  });
});

describe("R3: one person, one clinic", () => {
  it("R3: already attached to this clinic → refused; to another → the old one is detached automatically", () => {
    expect(run({ currentAttachment: { clinicId: goodClinic.id, since: "2020-01-01" } }).reasons).toEqual([
      "already_attached_here",
    ]);
    expect(run({}).notes).toContainEqual({ code: "auto_detach" });
  });
});

describe("R4: same ATU (settlement), border territories by policy", () => {
  const astanaClinic = { ...goodClinic, id: "ast-9", atuCode: ASTANA_ATU };
  it("R4: a clinic in another settlement is refused with other_settlement", () => {
    expect(run({ clinic: astanaClinic }).reasons).toEqual(["other_settlement"]);
  });
  it("R4: the same case is accepted under a policy listing the border pair (and only in that direction)", () => {
    const border = withPolicy(policy2026, { borderTerritories: [{ from: ALMATY_ATU, to: ASTANA_ATU }] });
    expect(run({ clinic: astanaClinic }, spring, border).outcome).toBe("accepted");
    const reverse = { residence: { kind: "registered" as const, atuCode: ASTANA_ATU }, clinic: goodClinic };
    expect(run(reverse, spring, border).reasons).toEqual(["other_settlement"]);
  });
  it("R4: temporary residence counts as the address too", () => {
    const d = run({
      residence: { kind: "temporary", atuCode: ASTANA_ATU },
      clinic: astanaClinic,
      documents: ["rental_contract"],
    });
    expect(d.outcome).toBe("accepted");
  });
});

describe("R5, R6: the clinic itself", () => {
  it.each([
    ["no PMSP licence", { licensed: false }, ["clinic_no_licence"]],
    ["no Fund contract for 2026", { contractYears: [2025, 2027] }, ["clinic_no_contract"]],
    ["closed or reorganised", { active: false }, ["clinic_inactive"]],
    ["full (attached = capacity)", { attached: 30000 }, ["clinic_full"]],
    ["over the limit", { attached: 30001 }, ["clinic_full"]],
    ["one place left", { attached: 29999 }, []],
    [
      "everything wrong",
      { active: false, licensed: false, contractYears: [], attached: 5, capacity: 0 },
      ["clinic_inactive", "clinic_no_licence", "clinic_no_contract", "clinic_full"],
    ],
  ])("R5, R6: %s", (_label, patch, reasons) => {
    const d = run({ clinic: { ...goodClinic, ...patch } });
    expect(d.reasons).toEqual(reasons);
    expect(d.outcome).toBe(reasons.length ? "refused" : "accepted");
  });

  it("R5: inside the window a free choice needs next year's contract; a move needs this year's", () => {
    const clinic = { ...goodClinic, contractYears: [2026] };
    const autumn = almaty("2026-10-01");
    expect(run({ clinic, ground: "free_choice" }, autumn).reasons).toEqual(["clinic_no_contract"]);
    expect(run({ clinic, ground: "residence_change" }, autumn).outcome).toBe("accepted");
    expect(clinicReasons(clinic, { year: 2027, policy: policy2026 })).toEqual(["clinic_no_contract"]);
  });
});

describe("R7, R8: effective date in the decision", () => {
  it("R7: free choice inside the window → 1 January next year", () => {
    const d = run({ ground: "free_choice" }, almaty("2026-09-01", "09:00"));
    expect(d.effectiveFrom).toBe("2027-01-01");
    expect(d.effectiveYear).toBe(2027);
    expect(d.campaign).toEqual({ kind: "inside", start: "2026-09-01", end: "2026-11-01" });
    expect(d.notes).toContainEqual({ code: "effective_from", vars: { date: "2027-01-01" } });
  });
  it("R8: outside the window → on the decision", () => {
    const d = run({ ground: "free_choice" }, almaty("2026-11-02", "09:00"));
    expect(d.effectiveFrom).toBeNull();
    expect(d.notes).toContainEqual({ code: "effective_on_decision" });
  });
});

describe("R11: children", () => {
  const childIin = makeIin("2015-06-01", "female");
  it("R11: a child needs a birth certificate; without it → needsDocuments with child_documents_missing", () => {
    const d = run({ person: { iin: childIin, forChild: true } });
    expect(d.outcome).toBe("needsDocuments");
    expect(d.missingDocuments).toEqual(["birth_certificate"]);
    expect(d.reasons).toEqual(["child_documents_missing"]);
    expect(d.isChild).toBe(true);
    expect(run({ person: { iin: childIin, forChild: true }, documents: ["birth_certificate"] }).outcome).toBe(
      "accepted",
    );
  });
  it("R11: around the 18th birthday — the day before a representative files, from the birthday the person files", () => {
    const iin = makeIin("2008-04-15");
    expect(run({ person: { iin, forChild: false } }, almaty("2026-04-14", "23:00")).reasons).toEqual([
      "minor_needs_representative",
    ]);
    expect(
      run({ person: { iin, forChild: true }, documents: ["birth_certificate"] }, almaty("2026-04-14", "23:00")).outcome,
    ).toBe("accepted");
    expect(run({ person: { iin, forChild: false } }, almaty("2026-04-15", "00:00")).outcome).toBe("accepted");
    expect(run({ person: { iin, forChild: true } }, almaty("2026-04-15", "00:00")).reasons).toEqual([
      "adult_applies_self",
    ]);
  });
  it("R11: a child under five on temporary residence attaches at the actual residence: told so, no residence proof even where policy asks for one (Order № 44)", () => {
    const toddler = makeIin("2023-01-10", "male");
    const temp = { residence: { kind: "temporary" as const, atuCode: ALMATY_ATU } };
    const proofAsked = withPolicy(policy2026, { requireProofForTemporaryResidence: true });
    const d = run({ person: { iin: toddler, forChild: true }, ...temp }, spring, proofAsked);
    expect(d.missingDocuments).toEqual(["birth_certificate"]);
    expect(d.notes).toContainEqual({ code: "actual_residence_children_pregnant" });
    // Under 2025's rules (proof asked), the same toddler needs none either.
    const d2025 = run(
      { person: { iin: makeIin("2022-01-10"), forChild: true }, ...temp },
      almaty("2025-04-15"),
      policy2025,
    );
    expect(d2025.missingDocuments).toEqual(["birth_certificate"]);
  });
  it("R11, R12: a ten-year-old on temporary residence is not under five: the proof where policy asks for it, and no actual-residence note", () => {
    const temp = { residence: { kind: "temporary" as const, atuCode: ALMATY_ATU } };
    const proofAsked = withPolicy(policy2026, { requireProofForTemporaryResidence: true });
    const d = run({ person: { iin: childIin, forChild: true }, ...temp }, spring, proofAsked);
    expect(d.missingDocuments).toEqual(["birth_certificate", "residence_proof"]);
    expect(d.notes).not.toContainEqual({ code: "actual_residence_children_pregnant" });
    // 2026 asks for no proof at all (R12).
    expect(run({ person: { iin: childIin, forChild: true }, ...temp }).missingDocuments).toEqual(["birth_certificate"]);
  });
  it("R11: the age limit is policy: with actualResidenceUnderAge null nobody is told about the actual residence", () => {
    const temp = { residence: { kind: "temporary" as const, atuCode: ALMATY_ATU } };
    const none = withPolicy(policy2026, { actualResidenceUnderAge: null });
    const d = run({ person: { iin: makeIin("2023-01-10"), forChild: true }, ...temp }, spring, none);
    expect(d.notes).not.toContainEqual({ code: "actual_residence_children_pregnant" });
  });
  it("R11: the documents for a child are policy data (Order № 44: the birth certificate)", () => {
    expect(policy2026.documents.child).toEqual(["birth_certificate"]);
    const other = withPolicy(policy2026, {
      documents: { ...policy2026.documents, child: ["birth_certificate", "guardianship_document"] },
    });
    expect(run({ person: { iin: childIin, forChild: true } }, spring, other).missingDocuments).toEqual([
      "birth_certificate",
      "guardianship_document",
    ]);
  });
});

describe("R12: proof of temporary residence is a policy flag (on in 2025, off from 2026)", () => {
  const temp = { residence: { kind: "temporary" as const, atuCode: ALMATY_ATU } };
  const proofAsked = withPolicy(policy2026, { requireProofForTemporaryResidence: true });
  it("R12: flag on → rental contract or akimat certificate required (either satisfies it)", () => {
    expect(run(temp, spring, proofAsked).missingDocuments).toEqual(["residence_proof"]);
    expect(run({ ...temp, documents: ["rental_contract"] }, spring, proofAsked).outcome).toBe("accepted");
    expect(run({ ...temp, documents: ["akimat_certificate"] }, spring, proofAsked).outcome).toBe("accepted");
    expect(policy2025.requireProofForTemporaryResidence).toBe(true);
  });
  it("R12: what proves temporary residence is policy data", () => {
    const onlyAkimat = withPolicy(proofAsked, {
      documents: { ...proofAsked.documents, temporaryResidenceProof: ["akimat_certificate"] },
    });
    expect(run({ ...temp, documents: ["rental_contract"] }, spring, onlyAkimat).missingDocuments).toEqual([
      "residence_proof",
    ]);
  });
  it("R12: the 2026 policy (flag off) → the same case is accepted without proof", () => {
    expect(policy2026.requireProofForTemporaryResidence).toBe(false);
    expect(run(temp).outcome).toBe("accepted");
  });
  it("R12: registered address needs no proof", () => {
    expect(run({}).requiredDocuments).toEqual([]);
  });
});

describe("R13: in person at the clinic without ЭЦП", () => {
  it.each([
    ["pensioner", ["identity_document", "pension_certificate"]],
    ["disability", ["identity_document", "disability_document"]],
    ["guardian", ["identity_document", "guardianship_document"]],
    ["convict", ["identity_document", "commission_protocol"]],
    ["conscript", ["identity_document", "military_document"]],
    ["born_abroad_child_rep", ["identity_document", "birth_certificate"]],
    ["institution_rep", ["identity_document", "institution_document"]],
    ["dms_holder", ["identity_document", "insurance_contract"]],
    ["nonresident_student", ["identity_document", "rector_letter", "commission_protocol"]],
  ] as const)("R13: %s may file in person", (specialCategory, docs) => {
    const d = run({ applicant: { category: "citizen", specialCategory } });
    expect(d.inPersonAllowed).toBe(true);
    expect(d.inPersonDocuments).toEqual(docs);
  });
  it("R13: an ordinary adult citizen files through eGov or the bot; a ДМС holder may go in person", () => {
    expect(run({}).inPersonAllowed).toBe(false);
    const dms = run({
      applicant: { category: "foreign_insured", insurance: { kind: "voluntary", validUntil: "2027-01-01" } },
    });
    expect(dms.inPersonAllowed).toBe(true);
    const compulsory = run({
      applicant: { category: "eaeu_worker", insurance: { kind: "compulsory", validUntil: "2027-01-01" } },
    });
    expect(compulsory.inPersonAllowed).toBe(false);
  });
});

describe("R14: every refusal carries reasons", () => {
  it("R14: several problems at once are all reported", () => {
    const d = run({
      applicant: { category: "other" },
      clinic: { ...goodClinic, atuCode: ASTANA_ATU, attached: 30000 },
    });
    expect(d.outcome).toBe("refused");
    expect(d.reasons).toEqual(["category_not_eligible", "clinic_full", "other_settlement"]);
  });
  it("R14, R18: an invalid IIN refuses the application", () => {
    expect(run({ person: { iin: "061211600013", forChild: false } }).reasons).toEqual(["iin_invalid"]);
  });
});

describe("R15, R16: recommendations come as notes, never as refusals", () => {
  it("R15, R16: with a clinic chosen the family, walking-distance and district-doctor notes are given", () => {
    const codes = run({}).notes.map((n) => n.code);
    expect(codes).toEqual(expect.arrayContaining(["family_one_doctor", "walking_distance", "doctor_by_district"]));
  });
});

describe("Partial evaluation (the 'Can I attach?' pre-check)", () => {
  it("R7, R10: nothing but the category and the moment → no refusal, checks listed as skipped", () => {
    const d = evaluate(
      { now: spring.toISOString(), applicant: { category: "citizen" }, person: { forChild: false } },
      policy2026,
      calendar,
    );
    expect(d.outcome).toBe("accepted");
    expect(d.skipped).toEqual(["iin", "ground", "residence", "clinic"]);
    expect(d.decisionDueBy).toBe("2026-04-16");
    // R8: from 2026 work and study are no ground (attachment is by residence).
    expect(d.allowedGrounds).toEqual([
      "free_choice",
      "residence_change",
      "moved_settlement",
      "clinic_closed",
      "first_attachment",
    ]);
  });
  it("R4: a clinic without an address skips the settlement check but still checks licence, contract and capacity", () => {
    const d = run({ residence: undefined, clinic: { ...goodClinic, atuCode: ASTANA_ATU, licensed: false } });
    expect(d.reasons).toEqual(["clinic_no_licence"]);
  });
  it("R14: final mode turns a missing step into 'incomplete'", () => {
    const d = evaluate({ ...baseInput(spring), ground: undefined, final: true }, policy2026, calendar);
    expect(d.reasons).toEqual(["incomplete"]);
  });
  it("R1: a category refusal shows up before anything else is answered", () => {
    const d = evaluate(
      { now: spring.toISOString(), applicant: { category: "other" }, person: { forChild: false } },
      policy2026,
      calendar,
    );
    expect(d.reasons).toEqual(["category_not_eligible"]);
  });
});

describe("Policy as data: one case, two policies", () => {
  it("R7, R9: a spring free choice — refused when the quota is spent under 2025 rules, accepted under an all-year, 2-changes policy", () => {
    const input = {
      ground: "free_choice" as const,
      history: [{ decidedAt: "2025-02-01T05:00:00Z", ground: "free_choice" }],
    };
    const now = almaty("2025-04-15");
    expect(run(input, now, policy2025).reasons).toEqual(["quota_used"]);
    expect(run(input, now, withPolicy(policy2025, { campaign: null, freeChangesPerYear: 2 })).outcome).toBe("accepted");
  });
  it("R10: the decision date follows the policy's decisionWorkingDays", () => {
    expect(run({}, almaty("2026-04-15", "10:00")).decisionDueBy).toBe("2026-04-16");
    expect(
      run({}, almaty("2026-04-15", "10:00"), withPolicy(policy2026, { decisionWorkingDays: 2 })).decisionDueBy,
    ).toBe("2026-04-17");
  });
});
