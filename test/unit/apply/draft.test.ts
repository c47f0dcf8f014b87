import { describe, expect, it } from "vitest";
import { emptyDraft, firstUnanswered, parseDraft } from "../../../bot/application/draft.js";
import { makeIin } from "../../../scripts/stack/people.js";

const photo = (uid: string, kind = "residence_proof") => ({
  kind,
  fileId: `f-${uid}`,
  fileUniqueId: `u-${uid}`,
  mimeType: "image/jpeg",
  fileSize: 1000,
  fileName: null,
});

const full = {
  step: "summary",
  returnToSummary: false,
  forChild: false,
  category: "citizen",
  iin: makeIin("900101", 3, 1),
  regionId: "almaty",
  settlementId: "almaty",
  clinicId: "almaty-gp-1",
  ground: "free_choice",
  residenceKind: "temporary",
  requiredDocs: ["residence_proof"],
  documents: [photo("a"), photo("b")],
};

describe("a stored draft that fails the schema is salvaged field by field", () => {
  it("a valid draft is read as it is", () => {
    expect(parseDraft(full)).toMatchObject(full);
  });

  it("R5: one bad field (a clinic id too long) drops that answer only, and the flow goes back to it", () => {
    const d = parseDraft({ ...full, clinicId: "x".repeat(300) });
    expect(d.clinicId).toBeUndefined();
    expect(d).toMatchObject({
      category: "citizen",
      iin: full.iin,
      settlementId: "almaty",
      ground: "free_choice",
      residenceKind: "temporary",
    });
    expect(d.documents).toHaveLength(2);
    expect(d.step).toBe("clinic");
  });

  it("R18: an IIN that is not 12 digits is dropped and asked again; later answers stay", () => {
    const d = parseDraft({ ...full, iin: "12345" });
    expect(d.iin).toBeUndefined();
    expect(d.step).toBe("iin");
    expect(d).toMatchObject({ clinicId: "almaty-gp-1", ground: "free_choice", documents: full.documents });
  });

  it("R11: a broken self/child answer takes the status and IIN given for it along", () => {
    const d = parseDraft({ ...full, forChild: "maybe" });
    expect(d.forChild).toBeUndefined();
    expect(d.category).toBeUndefined();
    expect(d.iin).toBeUndefined();
    expect(d.clinicId).toBe("almaty-gp-1");
    expect(d.step).toBe("who");
  });

  it("R4: a broken settlement takes its clinic and shared point along", () => {
    const d = parseDraft({ ...full, settlementId: 42, location: { lat: 43.2, lon: 76.9 } });
    expect(d.settlementId).toBeUndefined();
    expect(d.clinicId).toBeUndefined();
    expect(d.location).toBeUndefined();
    expect(d.regionId).toBe("almaty");
    expect(d.step).toBe("settlement");
  });

  it("R12: a list keeps its valid items: one broken page does not lose the others", () => {
    const d = parseDraft({
      ...full,
      documents: [photo("a"), { kind: "residence_proof", fileId: 7 }, photo("c")],
      requiredDocs: ["residence_proof", 9],
    });
    expect(d.documents.map((x) => x.fileUniqueId)).toEqual(["u-a", "u-c"]);
    expect(d.requiredDocs).toEqual(["residence_proof"]);
    expect(d.step).toBe("summary");
  });

  it("an unknown step resumes at the first unanswered one; an earlier valid step (the person went back) is kept", () => {
    expect(parseDraft({ ...full, step: "nowhere", ground: 42 }).step).toBe("ground");
    expect(parseDraft({ ...full, step: "nowhere" }).step).toBe("summary");
    expect(parseDraft({ ...full, step: "region", ground: 42 }).step).toBe("region");
  });

  it("garbage becomes an empty draft at the first step", () => {
    for (const bad of [null, 42, "text", [1, 2], { step: 5 }])
      expect(parseDraft(bad)).toEqual({ ...emptyDraft(), step: "who" });
  });

  it("R11 R12: documents count as answered once every required kind has a page", () => {
    const d = parseDraft(full);
    expect(firstUnanswered(d)).toBeUndefined();
    expect(firstUnanswered({ ...d, requiredDocs: ["birth_certificate", "residence_proof"] })).toBe("documents");
    expect(firstUnanswered({ ...d, ground: undefined })).toBe("ground");
  });
});
