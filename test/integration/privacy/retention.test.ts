import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationKey } from "../../../data/conversation-storage.js";
import { erasePerson, personalData } from "../../../data/repositories/personal-data.js";
import { giveConsent } from "../../../data/repositories/consents.js";
import { saveDraft } from "../../../data/repositories/drafts.js";
import { addDocuments, type RequestRow } from "../../../data/repositories/requests.js";
import { touchUser } from "../../../data/repositories/users.js";
import { applyRetention, type RetentionCounts } from "../../../data/retention.js";
import { DEFAULT_RETENTION } from "../../../rules/index.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { insertRequest } from "../../fixtures/requests.js";
import { scanDb } from "../../fixtures/scan.js";
import { testVault } from "../../fixtures/vault.js";
import { freshDb, type TestDb } from "../directory/helpers.js";

const NOW = new Date("2030-01-15T06:00:00.000Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const RETENTION = { draftDays: 30, documentDays: 90, requestYears: 3 };

let t: TestDb;
beforeEach(async () => {
  t = await freshDb();
});
afterEach(async () => {
  await t.dispose();
});

const store = () => ({ db: t.db, vault: testVault });

async function withDocuments(r: RequestRow, prefix: string): Promise<void> {
  await addDocuments(t.db, r.id, [
    {
      kind: "residence_proof",
      file_id: `${prefix}-1`,
      file_unique_id: `${prefix}-u1`,
      mime_type: "image/jpeg",
      file_size: 1,
      file_name: null,
      added_at: r.submitted_at,
    },
    {
      kind: "residence_proof",
      file_id: `${prefix}-2`,
      file_unique_id: `${prefix}-u2`,
      mime_type: "image/jpeg",
      file_size: 1,
      file_name: null,
      added_at: r.submitted_at,
    },
  ]);
}

async function draftOf(userId: number, updatedAt: string, iin: string): Promise<void> {
  await touchUser(t.db, userId, updatedAt);
  await saveDraft(store(), userId, { step: "region", iin }, updatedAt);
  await t.db
    .insertInto("conversation_state")
    .values({ key: conversationKey(userId), value: testVault.seal(JSON.stringify({ text: iin }), "conversation") })
    .execute();
}

const row = (id: number) => t.db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const documents = (id: number) =>
  t.db.selectFrom("request_documents").selectAll().where("request_id", "=", id).execute();

describe("retention as policy: what goes when, restart-safe, audited with counts only", () => {
  it("the policy's defaults: 30 days for a draft, 90 for document references, 3 years for a decided request", () => {
    expect(DEFAULT_RETENTION).toEqual(RETENTION);
  });

  it("drafts untouched too long, document references after a decision, decided requests' personal fields after years", async () => {
    const iins = Array.from({ length: 6 }, (_, i) => makeIin("800808", 3, 700 + i));
    await draftOf(1, daysAgo(31), iins[0] ?? "");
    await draftOf(2, daysAgo(29), iins[1] ?? "");
    const docsDue = await insertRequest(t.db, { iin: iins[2], status: "approved", decided_at: daysAgo(91) });
    const docsKept = await insertRequest(t.db, {
      iin: iins[3],
      status: "rejected",
      decided_at: daysAgo(89),
      reject_reason: "other",
      reject_note: "Адрес: ул. Абая 1",
    });
    const old = await insertRequest(t.db, {
      iin: iins[4],
      status: "approved",
      decided_at: "2026-12-01T05:00:00.000Z",
      reject_note: "Адрес: ул. Абая 2",
    });
    const asked = await insertRequest(t.db, {
      iin: iins[5],
      status: "rejected",
      decided_at: "2026-12-01T05:00:00.000Z",
      erasure_requested_at: "2027-01-01T05:00:00.000Z",
    });
    const open = await insertRequest(t.db, { status: "pending", submitted_at: "2025-01-01T05:00:00.000Z" });
    // Prefixes with letters no UUID holds: the scan below must not find them in a draft's random token.
    for (const [r, p] of [
      [docsDue, "photo-a"],
      [docsKept, "photo-b"],
      [old, "photo-c"],
      [open, "photo-d"],
    ] as const)
      await withDocuments(r, p);
    await t.db
      .insertInto("attachments")
      .values({
        iin_index: old.iin_index ?? "",
        iin_sealed: old.iin_sealed,
        clinic_id: "almaty-gp-1",
        since: "2027-01-01",
        request_id: old.id,
      })
      .execute();

    const counts = await applyRetention(t.db, NOW, RETENTION, 1);
    // Files: the two of the request decided 91 days ago and the two of the one decided years ago.
    expect(counts).toEqual({ drafts: 1, documents: 4, requests: 2 });

    // Drafts: the old one and its conversation went; the recent one stays.
    const drafts = await t.db.selectFrom("drafts").select("user_id").execute();
    expect(drafts).toEqual([{ user_id: 2 }]);
    expect(await t.db.selectFrom("conversation_state").select("key").execute()).toEqual([{ key: "conv:2" }]);
    // Documents of a request decided 91 days ago went; 89 days ago they stay.
    expect(await documents(docsDue.id)).toEqual([]);
    expect((await row(docsDue.id)).documents_erased_at).toBe(NOW.toISOString());
    expect((await row(docsDue.id)).iin_sealed).toBe(docsDue.iin_sealed);
    expect(await documents(docsKept.id)).toHaveLength(2);
    // Decided over three years ago: number, status and dates stay; IIN, birth date, documents, a free note go.
    for (const r of [old, asked]) {
      const now = await row(r.id);
      expect(now).toMatchObject({
        number: r.number,
        status: r.status,
        decided_at: r.decided_at,
        submitted_at: r.submitted_at,
      });
      expect(now).toMatchObject({
        iin_sealed: "",
        iin_index: null,
        person_birth_date: "",
        reject_note: null,
        erased_at: NOW.toISOString(),
      });
    }
    expect((await row(old.id)).erased_by).toBe("retention");
    expect((await row(asked.id)).erased_by).toBe("applicant");
    expect(await documents(old.id)).toEqual([]);
    expect(await t.db.selectFrom("attachments").selectAll().execute()).toEqual([]);
    // An open request is never touched by retention.
    expect(await row(open.id)).toMatchObject({ iin_sealed: open.iin_sealed, erased_at: null });
    expect(await documents(open.id)).toHaveLength(2);
    expect(
      await scanDb(t.db, [iins[0] ?? "", iins[4] ?? "", iins[5] ?? "", "photo-a-1", "photo-c-1"], testVault),
    ).toEqual([]);

    // Audited with counts only, one entry per batch that did something; their sums are the totals.
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "action", "details"]).execute();
    expect(audit.every((a) => a.action === "retention" && a.actor_id === 0)).toBe(true);
    const sums = audit
      .map((a) => JSON.parse(a.details ?? "{}") as Partial<RetentionCounts>)
      .reduce<RetentionCounts>(
        (s, d) => ({
          drafts: s.drafts + (d.drafts ?? 0),
          documents: s.documents + (d.documents ?? 0),
          requests: s.requests + (d.requests ?? 0),
        }),
        { drafts: 0, documents: 0, requests: 0 },
      );
    expect(sums).toEqual(counts);
    expect(
      audit.every(
        (a) =>
          Object.keys(JSON.parse(a.details ?? "{}") as object)
            .sort()
            .join() === "documents,drafts,requests",
      ),
    ).toBe(true);

    // Run again (a restart): nothing is due, nothing is written.
    expect(await applyRetention(t.db, NOW, RETENTION)).toEqual({ drafts: 0, documents: 0, requests: 0 });
    expect(await t.db.selectFrom("audit_log").select("id").execute()).toHaveLength(audit.length);
  });
});

describe("the person's rights: a copy of their data, and withdrawing consent with deletion", () => {
  it("the copy holds the person's requests, draft, documents, consent, subscription and language, and nobody else's", async () => {
    const mine = makeIin("900101", 3, 801);
    const theirs = makeIin("900101", 3, 802);
    await draftOf(7001, daysAgo(1), mine);
    await giveConsent(t.db, 7001, "v1", daysAgo(1));
    const a = await insertRequest(t.db, { user_id: 7001, iin: mine });
    await withDocuments(a, "mine");
    const b = await insertRequest(t.db, { user_id: 7002, iin: theirs });
    await withDocuments(b, "theirs");
    const copy = await personalData(store(), 7001, NOW.toISOString());
    const text = JSON.stringify(copy);
    expect(copy.requests.map((r) => r.number)).toEqual([a.number]);
    expect(copy.requests[0]).toMatchObject({ iin: mine, documents: [{ file_id: "mine-1" }, { file_id: "mine-2" }] });
    expect(copy.draft?.answers).toMatchObject({ iin: mine });
    expect(copy).toMatchObject({
      consent: { version: "v1" },
      profile: { subscribed: true },
      conversation_in_progress: true,
    });
    for (const other of [theirs, b.number, "theirs-1", "7002"]) expect(text).not.toContain(other);
  });

  it("withdraw and delete: draft, conversation, consent and subscription at once; the open request withdrawn and erased; a decided one kept until its retention ends", async () => {
    const openIin = makeIin("910202", 3, 811);
    const decidedIin = makeIin("910202", 3, 812);
    await draftOf(7101, daysAgo(1), openIin);
    await t.db.insertInto("conversation_state").values({ key: "conv:7101x", value: "other chat" }).execute();
    await giveConsent(t.db, 7101, "v1", daysAgo(1));
    const open = await insertRequest(t.db, { user_id: 7101, iin: openIin, status: "needs_documents" });
    await withDocuments(open, "open");
    const decided = await insertRequest(t.db, {
      user_id: 7101,
      iin: decidedIin,
      status: "approved",
      decided_at: "2029-06-01T05:00:00.000Z",
    });
    await withDocuments(decided, "decided");
    const other = await insertRequest(t.db, { user_id: 7102 });

    const result = await erasePerson(t.db, 7101, NOW.toISOString());
    expect(result).toEqual({ withdrawn: [open.number], kept: [decided.number], draftDeleted: true });
    expect(await t.db.selectFrom("drafts").selectAll().where("user_id", "=", 7101).execute()).toEqual([]);
    expect(await t.db.selectFrom("consents").selectAll().execute()).toEqual([]);
    expect(
      (await t.db.selectFrom("users").select("subscribed").where("id", "=", 7101).executeTakeFirst())?.subscribed,
    ).toBe(0);
    expect(await row(open.id)).toMatchObject({
      status: "withdrawn",
      erased_by: "applicant",
      iin_sealed: "",
      person_birth_date: "",
    });
    // Outside what retention keeps (the decided request, until three years after its decision), nothing of theirs.
    const needles = [openIin, "open-1", "open-2"];
    expect(await scanDb(t.db, needles, testVault)).toEqual([]);
    expect(
      (await scanDb(t.db, [decidedIin, "decided-1"], testVault)).map((f) => `${f.table}.${f.column}`).sort(),
    ).toEqual(["request_documents.file_id", "requests.iin_sealed"]);
    expect((await row(decided.id)).erasure_requested_at).toBe(NOW.toISOString());
    expect(await row(other.id)).toMatchObject({ iin_sealed: other.iin_sealed });

    // When its retention ends, the decided request is erased too, as the applicant asked.
    await applyRetention(t.db, new Date("2032-06-02T05:00:00.000Z"), RETENTION);
    expect(await scanDb(t.db, [decidedIin, "decided-1"], testVault)).toEqual([]);
    expect((await row(decided.id)).erased_by).toBe("applicant");
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "request_id"])
      .where("actor_id", "=", 7101)
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "consent_given", request_id: null },
        { action: "privacy_erase", request_id: open.id },
        { action: "consent_withdrawn", request_id: null },
      ]),
    );
  });
});
