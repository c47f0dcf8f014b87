import { afterEach, describe, expect, it } from "vitest";
import { getConsent, giveConsent, knownConsent } from "../../../data/repositories/consents.js";
import { UnitOfWork } from "../../../data/unit-of-work.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const AT = "2026-12-07T10:00:00.000Z";
const audited = async (db: TestDatabase["db"], userId: number) =>
  (await db.selectFrom("audit_log").select("action").where("actor_id", "=", userId).execute()).map((r) => r.action);

describe("a consent given", () => {
  it("within an update is stored with the update's other writes, at its commit, and known to it at once", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const uow = new UnitOfWork(db);
    await giveConsent(db, 77, "2026-11", AT, uow);
    expect(await knownConsent(db, 77, uow)).toMatchObject({ user_id: 77, version: "2026-11" });
    // Nothing stored before the update ends.
    expect(await getConsent(db, 77)).toBeUndefined();
    expect(await audited(db, 77)).toEqual([]);
    await uow.commit();
    expect(await getConsent(db, 77)).toMatchObject({ user_id: 77, version: "2026-11", given_at: AT });
    expect(await audited(db, 77)).toEqual(["consent_given"]);
  });

  it("within an update that fails is not stored; outside an update it is stored at once", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const failed = new UnitOfWork(db);
    await giveConsent(db, 78, "2026-11", AT, failed);
    failed.discard();
    expect(await getConsent(db, 78)).toBeUndefined();
    await giveConsent(db, 78, "2026-11", AT);
    expect(await getConsent(db, 78)).toMatchObject({ version: "2026-11" });
    expect(await audited(db, 78)).toEqual(["consent_given"]);
  });
});
