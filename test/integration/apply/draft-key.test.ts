import { Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";
import { deleteDraft, loadDraft, saveDraft } from "../../../data/repositories/drafts.js";
import { createRequest } from "../../../data/repositories/requests.js";
import { touchUser } from "../../../data/repositories/users.js";
import { UnitOfWork } from "../../../data/unit-of-work.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";
import { sampleRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

const AT = IN_CAMPAIGN_UTC;
let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

/** The latest schema on the run's database; up to an older SQLite migration (`upTo`) on SQLite, whose history it is. */
async function open(upTo?: string): Promise<TestDatabase> {
  if (upTo) {
    opened = await openTestDatabase({ kind: "sqlite", migrate: false });
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const r = await migrator.migrateTo(upTo);
    if (r.error) throw r.error;
  } else opened = await openTestDatabase();
  await touchUser(opened.db, 61, AT);
  return opened;
}

async function key(db: Db): Promise<string> {
  const saved = await loadDraft({ db, vault: testVault }, 61);
  if (!saved) throw new Error("no draft");
  return saved.submissionKey;
}

describe("a draft's submission key", () => {
  it("stays one draft's across retries and changes with its revision", async () => {
    const { db } = await open();
    await saveDraft({ db, vault: testVault }, 61, { step: "who" }, AT);
    const first = await key(db);
    expect(await key(db)).toBe(first);
    await saveDraft({ db, vault: testVault }, 61, { step: "category" }, AT);
    const second = await key(db);
    expect(second).not.toBe(first);
    // Only the revision moved: the token is the draft's own.
    expect(second.split(":").slice(0, 2)).toEqual(first.split(":").slice(0, 2));
  });

  it("R10: the next draft after a submission, the same steps at the same instant, gets a new key and a new request", async () => {
    const { db } = await open();
    const submit = async () => {
      for (const step of ["who", "category", "iin"]) await saveDraft({ db, vault: testVault }, 61, { step }, AT);
      const result = await createRequest(
        { db, vault: testVault },
        sampleRequest({ user_id: 61, iin: "900101400001", source_key: await key(db) }),
        [],
      );
      await deleteDraft(db, 61);
      if (!result.ok) throw new Error("refused");
      return result.request;
    };
    const first = await submit();
    await db.updateTable("requests").set({ status: "withdrawn" }).where("id", "=", first.id).execute();
    const second = await submit();
    expect(second.id).not.toBe(first.id);
    expect(second.number).not.toBe(first.number);
  });

  it("a draft stored before migration 0009 is known by its creation instant, then gets a token at its next save", async () => {
    const { db } = await open("0008-request-insurance");
    await rawSql(
      db,
      "insert into drafts (user_id, data, revision, created_at, updated_at) values (61, '{}', 3, ?, ?)",
      AT,
      AT,
    );
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await key(db)).toBe(`61:${AT}:3`);
    await saveDraft({ db, vault: testVault }, 61, { step: "iin" }, AT);
    expect(await key(db)).toMatch(/^61:[0-9a-f-]{36}:4$/);
  });

  it("saved within an update's unit of work: the same key before and after the commit as a direct save gives", async () => {
    const { db } = await open();
    await saveDraft({ db, vault: testVault }, 61, { step: "who" }, AT);
    const first = await key(db);
    const uow = new UnitOfWork(db);
    const store = { db, vault: testVault, uow };
    await saveDraft(store, 61, { step: "category" }, AT);
    await saveDraft(store, 61, { step: "iin" }, AT);
    const staged = (await loadDraft(store, 61))?.submissionKey;
    // Nothing stored before the commit.
    expect(await key(db)).toBe(first);
    await uow.commit();
    expect(await key(db)).toBe(staged);
    expect(staged?.split(":").slice(0, 2)).toEqual(first.split(":").slice(0, 2));
    expect(staged?.split(":")[2]).toBe("3");
    // After the commit the unit is closed: a late write goes straight to the table.
    await deleteDraft(store, 61);
    expect(await loadDraft({ db, vault: testVault }, 61)).toBeUndefined();
  });
});
