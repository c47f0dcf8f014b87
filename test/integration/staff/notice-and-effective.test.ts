import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../../bot/context.js";
import { decisionText } from "../../../bot/features/staff/notify.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { decide, effectiveDate } from "../../../data/repositories/decisions.js";
import { exportRows } from "../../../data/repositories/export.js";
import { freshDb, type TestDb } from "../directory/helpers.js";
import { addRequest, staffDeps } from "./helpers.js";

const NOW = new Date("2026-03-10T05:00:00.000Z");
const ALL = { clinicIds: null, settlementId: null };
let t: TestDb;
let deps: Deps;

beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, NOW);
  deps = await staffDeps(t.db, NOW);
});
afterAll(async () => {
  await t.dispose();
});

describe("R14: the refusal notice for a written reason", () => {
  it("R14: 'the reason is in the note below' is followed by the reviewer's note, in ru and kk", async () => {
    const note = "Адрес в заявке не совпадает с документами";
    const r = await addRequest(t.db, {
      status: "rejected",
      reject_reason: "other",
      reject_note: note,
      decided_by: 1,
      decided_at: NOW.toISOString(),
    });
    for (const lang of ["ru", "kk"] as const) {
      const tr = deps.i18n.t(lang);
      const text = (await decisionText(deps, r, lang)) ?? "";
      const reasonLine = tr("staff.notify.reason", { reason: tr("staff.reject_reasons.other") });
      expect(text, lang).toContain(`${reasonLine}\n${tr("staff.notify.note", { note })}`);
    }
  });

  it("R14: a refusal without a note never points to a note that is not there", async () => {
    const r = await addRequest(t.db, {
      status: "rejected",
      reject_reason: "made_up",
      reject_note: null,
      decided_by: 1,
      decided_at: NOW.toISOString(),
    });
    const tr = deps.i18n.t("ru");
    const text = (await decisionText(deps, r, "ru")) ?? "";
    expect(text).not.toContain(tr("staff.reject_reasons.other"));
    expect(text).not.toContain("\n\n\n");
  });
});

describe("R8/R17: an approval 'on the decision' just after midnight in Almaty", () => {
  it("R17: the attachment and the exported effective date are the Almaty day, not UTC's day before", async () => {
    const r = await addRequest(t.db, {
      submitted_at: "2026-03-06T05:00:00.000Z",
      effective_from: null,
      ground: "residence_change",
    });
    const at = "2026-03-09T19:30:00.000Z"; // 00:30 on 10 March in Almaty
    expect((await decide(t.db, r.id, 9101, { kind: "approve" }, at)).ok).toBe(true);
    const since = await t.db
      .selectFrom("attachments")
      .select("since")
      .where("iin_index", "=", r.iin_index ?? "")
      .executeTakeFirstOrThrow();
    expect(since.since).toBe("2026-03-10");
    const [row] = await exportRows(t.db, ALL, { from: "2026-03-06", to: "2026-03-06" });
    expect(row?.effective_from).toBeNull();
    expect(row && effectiveDate(row)).toBe("2026-03-10");
  });
});
