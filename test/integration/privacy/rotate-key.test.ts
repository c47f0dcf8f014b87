import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyFilePath, readKeyFile, resolveDataKey } from "../../../data/data-key.js";
import { openDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { checkKey, KeyStateError, protectStoredData, total } from "../../../data/protect.js";
import { beginRotation, finishRotation, resealUnderNewKey, valuesNotUnder } from "../../../data/rotate.js";
import { saveDraft } from "../../../data/repositories/drafts.js";
import { createRequest, findOpenRequestByIin } from "../../../data/repositories/requests.js";
import { findRequests } from "../../../data/repositories/stats.js";
import { touchUser } from "../../../data/repositories/users.js";
import { isSealed, newSecret, sealedKeyId, Vault, VaultError } from "../../../data/vault.js";
import { ROOT } from "../../../scripts/stack/bot-process.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { openTestDatabase } from "../../fixtures/database.js";
import { sampleRequest } from "../../fixtures/requests.js";
import { scanDb, scanTables } from "../../fixtures/scan.js";

const IINS = Array.from({ length: 40 }, (_, i) => makeIin("850505", 3, 600 + i));

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "emhana-rotate-"));
  path = join(dir, "bot.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database sealed with its key file, as the bot leaves it: 40 requests, drafts, a conversation. */
async function sealedDatabase(): Promise<Vault> {
  const database = openDatabase(`file:${path}`);
  await migrateToLatest(database.db);
  const vault = new Vault(resolveDataKey(undefined, path).secret);
  await protectStoredData({ db: database.db, vault });
  const store = { db: database.db, vault };
  for (const [i, iin] of IINS.entries())
    await createRequest(store, sampleRequest({ user_id: 5000 + i, iin, source_key: `r${i}` }), []);
  for (let i = 0; i < 5; i++) {
    await touchUser(database.db, 6000 + i, "2026-09-15T05:00:00Z");
    await saveDraft(store, 6000 + i, { step: "region", iin: IINS[i] }, "2026-09-15T05:00:00Z");
  }
  await database.db
    .insertInto("conversation_state")
    .values({ key: "conv:6000", value: vault.seal(JSON.stringify({ text: IINS[0] }), "conversation") })
    .execute();
  await database.close();
  return vault;
}

/** npm run rotate-key as a child process; resolves with its exit code (null when killed) and output. */
function rotate(
  env: Record<string, string> = {},
  url = `file:${path}`,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "scripts/rotate-key.ts", "--batch", "5"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", DOTENV_CONFIG_PATH: "/dev/null", DATABASE_URL: url, ...env },
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
    proc.once("exit", (code, signal) => resolve({ code, signal, out }));
  });
}

/** Every sealed value in the database, with where it is. */
function sealedValues(): { table: string; value: string }[] {
  const db = openDatabase(`file:${path}`);
  try {
    const q = (sql: string, table: string) =>
      (db.sqlite.prepare(sql).all() as { v: string }[]).map((r) => ({ table, value: r.v }));
    return [
      ...q("select iin_sealed v from requests", "requests"),
      ...q("select iin_sealed v from attachments", "attachments"),
      ...q("select data v from drafts", "drafts"),
      ...q("select value v from conversation_state", "conversation_state"),
    ];
  } finally {
    void db.close();
  }
}

// The script keeps its keys in files beside a SQLite database (or in DATA_KEY and NEW_DATA_KEY): these run on SQLite
// in either run. The rotation itself, and the script on PostgreSQL, run on the run's database below.
describe("npm run rotate-key: a new data key for everything sealed, finished after a crash", () => {
  it("killed midway, the bot will not start on the half-rotated database; the rerun finishes and only the new key opens anything", async () => {
    const old = await sealedDatabase();
    const oldSecret = readKeyFile(keyFilePath(path));

    const killed = await rotate({ ROTATE_KEY_TEST_CRASH_AFTER: "2" });
    expect(killed.signal).toBe("SIGKILL");
    const midway = sealedValues().map((s) => sealedKeyId(s.value));
    const newId = midway.find((id) => id !== old.keyId);
    expect(newId).toBeDefined();
    // Part done, part not: a real midway.
    expect(midway.filter((id) => id === newId).length).toBe(10);
    expect(midway.filter((id) => id === old.keyId).length).toBeGreaterThan(0);
    // The key file is still the old key and the new one waits beside it.
    expect(readKeyFile(keyFilePath(path)).equals(oldSecret)).toBe(true);
    expect(existsSync(`${keyFilePath(path)}.next`)).toBe(true);
    const check = openDatabase(`file:${path}`);
    await expect(checkKey(check.db, old)).rejects.toThrow(KeyStateError);
    await check.close();

    const rerun = await rotate();
    expect(rerun.out).toContain("resuming the rotation");
    expect(rerun.code).toBe(0);
    const newSecretNow = readKeyFile(keyFilePath(path));
    expect(newSecretNow.equals(oldSecret)).toBe(false);
    expect(existsSync(`${keyFilePath(path)}.next`)).toBe(false);
    const fresh = new Vault(newSecretNow);
    expect(fresh.keyId).toBe(newId);

    const values = sealedValues();
    expect(values.length).toBe(new Set(IINS).size + 5 + 1);
    const purpose = {
      requests: "iin",
      attachments: "iin",
      drafts: "draft",
      conversation_state: "conversation",
    } as const;
    for (const { table, value } of values) {
      expect(isSealed(value)).toBe(true);
      const p = purpose[table as keyof typeof purpose];
      expect(() => fresh.open(value, p)).not.toThrow();
      expect(() => old.open(value, p)).toThrow(VaultError);
    }
    // Lookups go by the new index; the old one finds nothing.
    const database = openDatabase(`file:${path}`);
    try {
      await checkKey(database.db, fresh);
      expect((await findOpenRequestByIin(database.db, fresh.index(IINS[7] ?? "")))?.user_id).toBe(5007);
      expect(await findOpenRequestByIin(database.db, old.index(IINS[7] ?? ""))).toBeUndefined();
      const all = { clinicIds: null, settlementId: null };
      expect(await findRequests(database.db, all, { by: "iin", key: fresh.index(IINS[39] ?? "") })).toHaveLength(1);
      expect(scanTables(database.sqlite, IINS)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("with DATA_KEY and NEW_DATA_KEY from a secret store: no file is written, and the bot then needs the new key", async () => {
    const database = openDatabase(`file:${path}`);
    await migrateToLatest(database.db);
    const oldSecret = newSecret();
    const store = { db: database.db, vault: new Vault(oldSecret) };
    await protectStoredData(store);
    await createRequest(store, sampleRequest({ iin: IINS[0] ?? "", source_key: "env" }), []);
    await database.close();
    const next = newSecret();
    const run = await rotate({ DATA_KEY: oldSecret.toString("base64"), NEW_DATA_KEY: next.toString("base64") });
    expect(run.code).toBe(0);
    expect(run.out).toContain("set DATA_KEY to NEW_DATA_KEY's value");
    expect(existsSync(keyFilePath(path))).toBe(false);
    expect(existsSync(`${keyFilePath(path)}.next`)).toBe(false);
    const after = openDatabase(`file:${path}`);
    await expect(checkKey(after.db, new Vault(oldSecret))).rejects.toThrow(/sealed with data key/);
    await expect(checkKey(after.db, new Vault(next))).resolves.toBeUndefined();
    await after.close();
    expect(readFileSync(path).toString("latin1")).not.toContain(IINS[0]);
  });
});

describe("a key rotation on the run's database", () => {
  it("stopped after a batch, it is resumed and finished: only the new key opens anything, lookups go by the new index", async () => {
    const t = await openTestDatabase();
    try {
      const oldSecret = newSecret();
      const old = new Vault(oldSecret);
      const store = { db: t.db, vault: old };
      await protectStoredData(store);
      const iins = IINS.slice(0, 12);
      for (const [i, iin] of iins.entries())
        await createRequest(store, sampleRequest({ user_id: 5000 + i, iin, source_key: `r${i}` }), []);
      await touchUser(t.db, 6000, "2026-09-15T05:00:00Z");
      await saveDraft(store, 6000, { step: "region", iin: iins[0] }, "2026-09-15T05:00:00Z");
      const next = newSecret();
      const fresh = new Vault(next);
      // A request per distinct IIN (makeIin skips a serial without a check digit to the next: two serials can give one
      // IIN, and one person has one open request) and the draft.
      const sealed = new Set(iins).size + 1;

      expect(await beginRotation(t.db, oldSecret, next)).toMatchObject({ kind: "started" });
      const crash = () => {
        throw new Error("crash");
      };
      await expect(resealUnderNewKey(t.db, oldSecret, next, { batch: 5, onBatch: crash })).rejects.toThrow("crash");
      // The first batch committed, the rest waits; the bot will not start meanwhile.
      expect(await valuesNotUnder(t.db, fresh.keyId)).toBe(sealed - 5);
      await expect(checkKey(t.db, old)).rejects.toThrow(KeyStateError);
      await expect(finishRotation(t.db, fresh.keyId)).rejects.toThrow(/still sealed with the old key/);

      expect(await beginRotation(t.db, oldSecret, next)).toMatchObject({ kind: "resumed" });
      expect(total(await resealUnderNewKey(t.db, oldSecret, next, { batch: 5 }))).toBe(sealed - 5);
      await finishRotation(t.db, fresh.keyId);
      await expect(checkKey(t.db, fresh)).resolves.toBeUndefined();
      await expect(checkKey(t.db, old)).rejects.toThrow(/sealed with data key/);
      expect((await findOpenRequestByIin(t.db, fresh.index(iins[7] ?? "")))?.user_id).toBe(5007);
      expect(await findOpenRequestByIin(t.db, old.index(iins[7] ?? ""))).toBeUndefined();
      expect(await scanDb(t.db, iins)).toEqual([]);
      expect((await scanDb(t.db, iins, old)).length).toBe(0);
      expect((await scanDb(t.db, [iins[0] ?? ""], fresh)).map((f) => f.table).sort()).toEqual(["drafts", "requests"]);
    } finally {
      await t.dispose();
    }
  });

  it.skipIf(!testsOnPostgres())(
    "npm run rotate-key on PostgreSQL takes both keys from the environment, and says so in one line without them",
    async () => {
      const t = await openTestDatabase();
      try {
        const oldSecret = newSecret();
        const store = { db: t.db, vault: new Vault(oldSecret) };
        await protectStoredData(store);
        await createRequest(store, sampleRequest({ iin: IINS[0] ?? "", source_key: "pg" }), []);
        const without = await rotate({ DATA_KEY: oldSecret.toString("base64") }, t.url);
        expect(without.code).toBe(1);
        expect(without.out.trim()).toBe(
          "rotate-key: with a PostgreSQL DATABASE_URL give both keys: DATA_KEY (the current one) and NEW_DATA_KEY (e.g. `openssl rand -base64 32`)",
        );
        const next = newSecret();
        const run = await rotate(
          { DATA_KEY: oldSecret.toString("base64"), NEW_DATA_KEY: next.toString("base64") },
          t.url,
        );
        expect(run.code).toBe(0);
        expect(run.out).toContain("set DATA_KEY to NEW_DATA_KEY's value");
        await expect(checkKey(t.db, new Vault(next))).resolves.toBeUndefined();
        await expect(checkKey(t.db, new Vault(oldSecret))).rejects.toThrow(/sealed with data key/);
      } finally {
        await t.dispose();
      }
    },
    60_000,
  );
});
