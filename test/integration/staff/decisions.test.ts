import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { decide } from "../../../data/repositories/decisions.js";
import { freshDb, type TestDb } from "../directory/helpers.js";
import { addRequest, clinicCounts, setClinic } from "./helpers.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

// Real SQLite in a temp dir, the shipped directory; two clinics of one settlement (R4).
const NEW = "almaty-gp-1";
const OLD = "almaty-gp-4";
const AT = IN_CAMPAIGN_UTC;
let t: TestDb;

const attachment = (iin: string) =>
  t.db.selectFrom("attachments").selectAll().where("iin_index", "=", iin).executeTakeFirst();
const status = async (id: number) =>
  (await t.db.selectFrom("requests").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const auditRows = (requestId: number) =>
  t.db
    .selectFrom("audit_log")
    .select(["action", "old_status", "new_status"])
    .where("request_id", "=", requestId)
    .execute();

beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, new Date(AT));
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(async () => {
  await setClinic(t.db, NEW, { attached: 10, capacity: 100 });
  await setClinic(t.db, OLD, { attached: 20, capacity: 100 });
});

describe("approving a request (R3, R6)", () => {
  it("R3/R6: moves the person's attachment to the new clinic, the old clinic's count down and the new one's up", async () => {
    const r = await addRequest(t.db, { clinic_id: NEW });
    await t.db
      .insertInto("attachments")
      .values({
        iin_index: r.iin_index ?? "",
        iin_sealed: r.iin_sealed,
        clinic_id: OLD,
        since: "2024-01-01",
        request_id: null,
      })
      .execute();
    const result = await decide(t.db, r.id, 9101, { kind: "approve" }, AT);
    expect(result.ok).toBe(true);
    expect(await attachment(r.iin_index ?? "")).toEqual({
      iin_index: r.iin_index ?? "",
      iin_sealed: r.iin_sealed,
      clinic_id: NEW,
      since: "2027-01-01",
      request_id: r.id,
    });
    expect(await clinicCounts(t.db, NEW)).toEqual({ attached: 11, capacity: 100 });
    expect(await clinicCounts(t.db, OLD)).toEqual({ attached: 19, capacity: 100 });
    expect(await auditRows(r.id)).toEqual([{ action: "approve", old_status: "pending", new_status: "approved" }]);
  });

  it("R3: a first attachment only adds to the new clinic; 'on the decision' starts on the decision's day", async () => {
    const r = await addRequest(t.db, { clinic_id: NEW, effective_from: null });
    expect((await decide(t.db, r.id, 9101, { kind: "approve" }, AT)).ok).toBe(true);
    expect(await attachment(r.iin_index ?? "")).toMatchObject({
      clinic_id: NEW,
      since: "2026-09-15",
      request_id: r.id,
    });
    expect((await clinicCounts(t.db, NEW)).attached).toBe(11);
    expect((await clinicCounts(t.db, OLD)).attached).toBe(20);
  });

  it("R3: approving the clinic the person is already attached to changes no count", async () => {
    const r = await addRequest(t.db, { clinic_id: NEW });
    await t.db
      .insertInto("attachments")
      .values({
        iin_index: r.iin_index ?? "",
        iin_sealed: r.iin_sealed,
        clinic_id: NEW,
        since: "2024-01-01",
        request_id: null,
      })
      .execute();
    expect((await decide(t.db, r.id, 9101, { kind: "approve" }, AT)).ok).toBe(true);
    expect((await clinicCounts(t.db, NEW)).attached).toBe(10);
    expect(await attachment(r.iin_index ?? "")).toMatchObject({ clinic_id: NEW, request_id: r.id });
  });

  it("R6: a clinic that became full by approval time refuses the approval and nothing changes; refusing for that reason works", async () => {
    const r = await addRequest(t.db, { clinic_id: NEW });
    await t.db
      .insertInto("attachments")
      .values({
        iin_index: r.iin_index ?? "",
        iin_sealed: r.iin_sealed,
        clinic_id: OLD,
        since: "2024-01-01",
        request_id: null,
      })
      .execute();
    await setClinic(t.db, NEW, { attached: 100, capacity: 100 });
    const result = await decide(t.db, r.id, 9101, { kind: "approve" }, AT);
    expect(result).toMatchObject({ ok: false, reason: "clinic_full" });
    expect(await status(r.id)).toBe("pending");
    expect(await attachment(r.iin_index ?? "")).toMatchObject({
      clinic_id: OLD,
      since: "2024-01-01",
      request_id: null,
    });
    expect(await clinicCounts(t.db, NEW)).toEqual({ attached: 100, capacity: 100 });
    expect((await clinicCounts(t.db, OLD)).attached).toBe(20);
    expect(await auditRows(r.id)).toEqual([]);

    const refused = await decide(t.db, r.id, 9101, { kind: "reject", reason: "clinic_full", note: null }, AT);
    expect(refused).toMatchObject({ ok: true, request: { status: "rejected", reject_reason: "clinic_full" } });
    expect((await clinicCounts(t.db, NEW)).attached).toBe(100);
    expect((await clinicCounts(t.db, OLD)).attached).toBe(20);
    expect(await attachment(r.iin_index ?? "")).toMatchObject({ clinic_id: OLD });
  });

  it("R6: the last free place goes to exactly one of two requests approved at once", async () => {
    await setClinic(t.db, NEW, { attached: 99, capacity: 100 });
    const a = await addRequest(t.db, { clinic_id: NEW });
    const b = await addRequest(t.db, { clinic_id: NEW });
    const results = await Promise.all([
      decide(t.db, a.id, 1, { kind: "approve" }, AT),
      decide(t.db, b.id, 2, { kind: "approve" }, AT),
    ]);
    expect(results.map((x) => (x.ok ? "ok" : x.reason)).sort()).toEqual(["clinic_full", "ok"]);
    expect(await clinicCounts(t.db, NEW)).toEqual({ attached: 100, capacity: 100 });
  });

  it("a refusal or a request for documents moves no attachment and no count", async () => {
    const r = await addRequest(t.db, { clinic_id: NEW });
    expect((await decide(t.db, r.id, 1, { kind: "needs_documents", note: "birth_certificate" }, AT)).ok).toBe(true);
    expect((await decide(t.db, r.id, 1, { kind: "reject", reason: "other", note: "…" }, AT)).ok).toBe(true);
    expect(await attachment(r.iin_index ?? "")).toBeUndefined();
    expect((await clinicCounts(t.db, NEW)).attached).toBe(10);
  });
});
