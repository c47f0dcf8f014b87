import { describe, expect, it } from "vitest";
import {
  DecisionSchema,
  evaluate,
  REASONS,
  REFUSAL_GROUNDS,
  type EvaluationInput,
  type SpecialCategory,
} from "../../../rules/index.js";
import { REJECT_REASONS } from "../../../bot/features/staff/callbacks.js";
import { ALMATY_ATU, almaty, baseInput, calendar, makeIin, policy2025, policy2026, withPolicy } from "./helpers.js";

const spring = almaty("2026-04-15", "10:00");
const run = (patch: Partial<EvaluationInput>, now = spring) => {
  const d = evaluate(baseInput(now, patch), policy2026, calendar);
  DecisionSchema.parse(d);
  return d;
};

describe("R13: a special category's documents are required, not only listed for the clinic", () => {
  it.each([
    ["pensioner", ["pension_certificate"]],
    ["disability", ["disability_document"]],
    ["guardian", ["guardianship_document"]],
    ["convict", ["commission_protocol"]],
    ["conscript", ["military_document"]],
    ["institution_rep", ["institution_document"]],
    ["dms_holder", ["insurance_contract"]],
    ["nonresident_student", ["rector_letter", "commission_protocol"]],
  ] as [SpecialCategory, string[]][])(
    "R13: %s without documents → needsDocuments, missing %j",
    (specialCategory, docs) => {
      const d = run({ applicant: { category: "citizen", specialCategory } });
      expect(d.outcome).toBe("needsDocuments");
      expect(d.reasons).toEqual(["documents_missing"]);
      expect(d.requiredDocuments).toEqual(docs);
      expect(d.missingDocuments).toEqual(docs);
      // The identity document is shown at the clinic; the bot does not collect it.
      expect(d.inPersonDocuments).toEqual(["identity_document", ...docs]);
      expect(run({ applicant: { category: "citizen", specialCategory }, documents: docs }).outcome).toBe("accepted");
    },
  );

  it("R13: each category's documents are policy data (a change in the order is a change of the file)", () => {
    const docs = policy2026.documents;
    const policy = withPolicy(policy2026, {
      documents: { ...docs, specialCategories: { ...docs.specialCategories, conscript: ["commission_protocol"] } },
    });
    const d = evaluate(
      baseInput(spring, { applicant: { category: "citizen", specialCategory: "conscript" } }),
      policy,
      calendar,
    );
    expect(d.missingDocuments).toEqual(["commission_protocol"]);
    expect(d.inPersonDocuments).toEqual(["identity_document", "commission_protocol"]);
  });

  it("R13: a non-resident student with only the rector's letter still misses the commission protocol", () => {
    const d = run({
      applicant: { category: "citizen", specialCategory: "nonresident_student" },
      documents: ["rector_letter"],
    });
    expect(d.missingDocuments).toEqual(["commission_protocol"]);
  });

  it("R13, R11: a representative of a child born abroad needs the birth certificate once, with child_documents_missing", () => {
    const d = run({
      applicant: { category: "citizen", specialCategory: "born_abroad_child_rep" },
      person: { iin: makeIin("2020-05-05"), forChild: true },
    });
    expect(d.requiredDocuments).toEqual(["birth_certificate"]);
    expect(d.reasons).toEqual(["child_documents_missing"]);
  });

  it("R13, R2, R12: a ДМС holder implied by a voluntary contract needs the contract once; temporary residence adds its proof only where policy asks (2025), not in 2026", () => {
    const input = baseInput(spring, {
      applicant: { category: "foreign_insured", insurance: { kind: "voluntary", validUntil: "2027-03-31" } },
      residence: { kind: "temporary", atuCode: ALMATY_ATU },
    });
    const proofAsked = withPolicy(policy2026, { requireProofForTemporaryResidence: true });
    expect(evaluate(input, proofAsked, calendar).requiredDocuments).toEqual(["insurance_contract", "residence_proof"]);
    expect(evaluate(input, policy2026, calendar).requiredDocuments).toEqual(["insurance_contract"]);
  });
});

describe("R2: the insurance contract's term", () => {
  const worker = (validUntil?: string): EvaluationInput["applicant"] =>
    validUntil
      ? { category: "eaeu_worker", insurance: { kind: "compulsory", validUntil } }
      : { category: "eaeu_worker" };

  it("R2: without the contract's end date the check is skipped while the application is filled in", () => {
    const d = run({ applicant: worker(), documents: ["insurance_contract"] });
    expect(d.skipped).toContain("insurance");
    expect(d.outcome).toBe("accepted");
    expect(d.attachmentEndsOn).toBeNull();
  });

  it("R2: a final check without the end date refuses with insurance_term_missing (not a silent acceptance)", () => {
    const d = run({ applicant: worker(), documents: ["insurance_contract"], final: true });
    expect(d.outcome).toBe("refused");
    expect(d.reasons).toEqual(["insurance_term_missing"]);
  });

  it("R2: expired yesterday → refused; valid through today → accepted, the attachment ends with the contract", () => {
    expect(run({ applicant: worker("2026-04-14"), documents: ["insurance_contract"], final: true }).reasons).toEqual([
      "insurance_expired",
    ]);
    const d = run({ applicant: worker("2026-04-15"), documents: ["insurance_contract"], final: true });
    expect(d.outcome).toBe("accepted");
    expect(d.attachmentEndsOn).toBe("2026-04-15");
    expect(d.notes).toContainEqual({ code: "insurance_term", vars: { date: "2026-04-15" } });
  });

  it("R2: 'now' is the Almaty day: 23:30 on the last day is still valid, 00:10 the next day is not", () => {
    const input = { applicant: worker("2026-04-15"), documents: ["insurance_contract"] };
    expect(run(input, almaty("2026-04-15", "23:30")).outcome).toBe("accepted");
    expect(run(input, almaty("2026-04-16", "00:10")).reasons).toEqual(["insurance_expired"]);
  });

  it("R2: citizens need no contract term; the optional field is ignored for them", () => {
    const d = run({ applicant: { category: "citizen" }, final: true });
    expect(d.skipped).not.toContain("insurance");
    expect(d.attachmentEndsOn).toBeNull();
  });
});

describe("R11, R14: a child's missing documents", () => {
  const child = { person: { iin: makeIin("2016-02-02"), forChild: true } };
  it("R11, R14: stay needsDocuments even in a final check (the documents can still come), with child_documents_missing", () => {
    const d = run({ ...child, final: true });
    expect(d.outcome).toBe("needsDocuments");
    expect(d.reasons).toEqual(["child_documents_missing"]);
  });

  it("R14: child_documents_missing is a refusal ground staff can pick; every ground maps to engine codes", () => {
    expect(REFUSAL_GROUNDS.child_documents_missing).toContain("child_documents_missing");
    for (const codes of Object.values(REFUSAL_GROUNDS)) for (const c of codes) expect(REASONS).toContain(c);
    // The reviewers' reason list (staff feature) offers every R14 ground.
    for (const ground of Object.keys(REFUSAL_GROUNDS)) expect(REJECT_REASONS).toContain(ground);
  });
});

describe("R10: years without a holiday table are flagged, not silently computed", () => {
  it("R10: a decision due in 2028 (no table) carries decision_due_provisional; 2026 does not", () => {
    const d2028 = run({}, almaty("2028-05-10", "10:00"));
    expect(d2028.notes).toContainEqual({ code: "decision_due_provisional", vars: { date: d2028.decisionDueBy } });
    expect(run({}).notes.map((n) => n.code)).not.toContain("decision_due_provisional");
  });

  it("R10: a decision due in 2027 (a provisional table: transfers not yet published) is flagged too", () => {
    const d = run({}, almaty("2027-03-12", "18:30"));
    expect(d.decisionDueBy).toBe("2027-03-17");
    expect(d.notes).toContainEqual({ code: "decision_due_provisional", vars: { date: "2027-03-17" } });
  });

  it("R7–R9: the decision carries the status of the policy it was made on", () => {
    expect(run({}).policyStatus).toBe("provisional");
    expect(evaluate(baseInput(almaty("2025-04-15")), policy2025, calendar).policyStatus).toBe("confirmed");
  });

  it("R10: filed on 31 Dec 2027 (table) with the decision in 2028 (no table) → flagged", () => {
    const d = run({}, almaty("2027-12-31", "10:00"));
    expect(d.decisionDueBy.startsWith("2028")).toBe(true);
    expect(d.notes.map((n) => n.code)).toContain("decision_due_provisional");
  });
});
