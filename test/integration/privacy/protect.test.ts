import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationAdapter } from "../../../data/conversation-storage.js";
import { DataKeyError, keyFilePath, resolveDataKey } from "../../../data/data-key.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { migrations } from "../../../data/migrations/index.js";
import { KeyStateError, protectStoredData, resealRows } from "../../../data/protect.js";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { currentAttachment, findOpenRequestByIin, requestIin } from "../../../data/repositories/requests.js";
import { newSecret, Vault } from "../../../data/vault.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { openTestDatabase } from "../../fixtures/database.js";
import { scanTables } from "../../fixtures/scan.js";

const mode = (path: string) => statSync(path).mode & 0o777;

let dir: string;
let path: string;
let database: OpenedDatabase | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "emhana-protect-"));
  path = join(dir, "bot.sqlite");
});
afterEach(async () => {
  await database?.close();
  database = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const IINS = Array.from({ length: 7 }, (_, i) => makeIin("900101", 3, 500 + i));

/** A database as the version before migration 0011 left it: IINs in clear in requests, attachments, a draft, a conversation. */
async function legacyDatabase(): Promise<OpenedDatabase> {
  database = openDatabase(`file:${path}`);
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  expect((await migrator.migrateTo("0010-provider-kind")).error).toBeUndefined();
  const insert = database.sqlite.prepare(
    `insert into requests (number, user_id, person_iin, person_birth_date, for_child, applicant_category, region_id,
      settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, outcome_at_submission, locale,
      source_key) values (?, ?, ?, '1990-01-01', 0, 'citizen', 'almaty', 'almaty', 'almaty-gp-1', 'free_choice',
      'registered', ?, '2026-09-15T05:00:00.000Z', '2026-09-16', '{}', 'ru', ?)`,
  );
  IINS.forEach((iin, i) => insert.run(`A-2026-00000${i + 1}`, 100 + i, iin, i < 5 ? "pending" : "approved", `k${i}`));
  database.sqlite
    .prepare(
      "insert into attachments (person_iin, clinic_id, since, request_id) values (?, 'almaty-gp-1', '2027-01-01', 6)",
    )
    .run(IINS[5]);
  database.sqlite.prepare("insert into users (id, language, first_seen, last_seen) values (100, 'ru', 'x', 'x')").run();
  database.sqlite
    .prepare("insert into drafts (user_id, data, revision, created_at, updated_at) values (100, ?, 2, 'x', 'x')")
    .run(JSON.stringify({ step: "region", forChild: false, category: "citizen", iin: IINS[0] }));
  database.sqlite
    .prepare("insert into conversation_state (key, value) values ('conv:100', ?)")
    .run(JSON.stringify({ replay: [{ message: { text: IINS[0], from: { first_name: "Айгерим" } } }] }));
  return database;
}

// SQLite's history (IINs in clear before 0011), its file and WAL, and the key file beside it: PostgreSQL starts at the
// 0015 baseline and takes its key from DATA_KEY.
describe("personal data stored in clear before is sealed at start, resumably (migration 0011 and the start-up step)", () => {
  it("every IIN is sealed, lookups go by the index, drafts and conversations read back, nothing is left in the file", async () => {
    const db = await legacyDatabase();
    await migrateToLatest(db.db);
    const vault = new Vault(newSecret());
    const counts = await protectStoredData({ db: db.db, vault });
    expect(counts).toEqual({ requests: 7, attachments: 1, drafts: 1, conversations: 1 });
    expect(scanTables(db.sqlite, [...IINS, "Айгерим"])).toEqual([]);
    // …while everything still reads, through the key.
    expect(
      scanTables(db.sqlite, [IINS[0] ?? ""], vault)
        .map((f) => f.table)
        .sort(),
    ).toEqual(["conversation_state", "drafts", "requests"]);
    const open = await findOpenRequestByIin(db.db, vault.index(IINS[2] ?? ""));
    expect(open?.number).toBe("A-2026-000003");
    expect(open && requestIin(vault, open)).toBe(IINS[2]);
    expect((await currentAttachment(db.db, vault.index(IINS[5] ?? "")))?.request_id).toBe(6);
    expect((await loadDraft({ db: db.db, vault }, 100))?.data).toMatchObject({ iin: IINS[0], step: "region" });
    expect(JSON.stringify(await conversationAdapter({ db: db.db, vault }).read("conv:100"))).toContain("Айгерим");
    // One open request per person holds on the index as it did on the IIN.
    expect(() =>
      db.sqlite.prepare("update requests set status = 'pending' where number = 'A-2026-000006'").run(),
    ).not.toThrow();
    expect(() =>
      db.sqlite
        .prepare(
          "update requests set iin_index = (select iin_index from requests where number = 'A-2026-000001') where number = 'A-2026-000002'",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    // Again: nothing left to do.
    expect(await protectStoredData({ db: db.db, vault })).toEqual({
      requests: 0,
      attachments: 0,
      drafts: 0,
      conversations: 0,
    });
    await db.close();
    database = undefined;
    for (const file of [path, `${path}-wal`].filter(existsSync)) {
      const bytes = readFileSync(file).toString("latin1");
      for (const iin of IINS) expect(bytes.includes(iin), `${file} holds ${iin}`).toBe(false);
    }
  });

  it("stopped after a batch, the next start seals the rest; no row is half done", async () => {
    const db = await legacyDatabase();
    await migrateToLatest(db.db);
    const vault = new Vault(newSecret());
    await expect(
      resealRows(
        { db: db.db, vault },
        {
          done: "s1:*",
          batch: 2,
          onBatch: () => {
            throw new Error("crash");
          },
        },
      ),
    ).rejects.toThrow("crash");
    const rows = db.sqlite.prepare("select iin_sealed, iin_index from requests").all() as {
      iin_sealed: string;
      iin_index: string | null;
    }[];
    // Two sealed with their index, the rest untouched.
    expect(rows.filter((r) => r.iin_index !== null && r.iin_sealed.startsWith("s1:"))).toHaveLength(2);
    expect(rows.filter((r) => r.iin_index === null && /^\d{12}$/.test(r.iin_sealed))).toHaveLength(5);
    const counts = await protectStoredData({ db: db.db, vault });
    expect(counts.requests).toBe(5);
    expect(scanTables(db.sqlite, IINS)).toEqual([]);
  });
});

describe("the data key is the database's", () => {
  it("a key that is not the database's is refused in one line (a lost key file must not pass unnoticed)", async () => {
    const t = await openTestDatabase();
    try {
      const first = new Vault(newSecret());
      await protectStoredData({ db: t.db, vault: first });
      const other = new Vault(newSecret());
      await expect(protectStoredData({ db: t.db, vault: other })).rejects.toThrow(KeyStateError);
      await expect(protectStoredData({ db: t.db, vault: other })).rejects.toThrow(
        `the database was sealed with data key ${first.keyId}, this key is ${other.keyId}`,
      );
    } finally {
      await t.dispose();
    }
  });
});

describe("the database, its write-ahead log and the key file are readable by their owner only", () => {
  it("a new database and its -wal are 0600; an older 0644 file is narrowed when opened", async () => {
    database = openDatabase(`file:${path}`);
    await migrateToLatest(database.db);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    await database.close();
    chmodSync(path, 0o644);
    database = openDatabase(`file:${path}`);
    expect(mode(path)).toBe(0o600);
  });

  it("without DATA_KEY the first start writes a key file beside the database (0600); later starts read the same key", () => {
    const made = resolveDataKey(undefined, path);
    expect(made.source).toEqual({ kind: "created", path: keyFilePath(path) });
    expect(mode(keyFilePath(path))).toBe(0o600);
    const again = resolveDataKey("", path);
    expect(again.source.kind).toBe("file");
    expect(again.secret.equals(made.secret)).toBe(true);
    // DATA_KEY wins over the file; a bad one is said, never used.
    const given = newSecret();
    expect(resolveDataKey(given.toString("base64"), path).secret.equals(given)).toBe(true);
    expect(() => resolveDataKey("short", path)).toThrow(DataKeyError);
    // A key file someone left readable is narrowed.
    chmodSync(keyFilePath(path), 0o644);
    resolveDataKey(undefined, path);
    expect(mode(keyFilePath(path))).toBe(0o600);
  });
});
