// Storage at scale: the staff queue, search by IIN and statistics with a million stored requests, and the cost of
// storing one more application. Runs the repositories the bot uses, in-process, on a real SQLite file.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type SQLite from "better-sqlite3";
import { seedDirectoryIfEmpty } from "../data/datasets/load-directory.js";
import { openDatabase } from "../data/db.js";
import { Migrator } from "kysely";
import { migrateToLatest } from "../data/migrate.js";
import { migrations } from "../data/migrations/index.js";
import { startCheckpointer } from "../data/checkpointer.js";
import { createRequest, type NewRequest } from "../data/repositories/requests.js";
import { findRequests, queuePage, requestStats, type Scope } from "../data/repositories/stats.js";
import { GROUNDS } from "../rules/index.js";
import { personIin } from "../scripts/stack/citizen-flow.js";
import { nowMs, round, summarize, type Summary } from "./lib/stats.js";
import { protectStoredData } from "../data/protect.js";
import { newSecret, Vault } from "../data/vault.js";

export interface StorageResult {
  requests: number;
  generateSeconds: number;
  /** Migration 0006 counting the stored requests into its tallies. */
  tallySeconds: number;
  /** The start-up step sealing the IINs stored in clear before migration 0011 (and rebuilding the file). */
  sealSeconds: number;
  fileMb: number;
  queries: Record<string, Summary>;
}

// A deterministic generator: the same run gives the same data.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const TODAY = "2026-10-30"; // late in the 2026 campaign: a big backlog of decisions and a long range to count
const CAMPAIGN = { from: "2026-09-01", to: "2026-11-01" };
const ALL: Scope = { clinicIds: null, settlementId: null };

/** Writes `n` requests spread like a campaign year: most in the window, the last two days still open. */
async function generate(sqlite: SQLite.Database, n: number): Promise<void> {
  const clinics = sqlite
    .prepare(
      "select c.id, c.settlement_id, s.region_id from clinics c join settlements s on s.id = c.settlement_id where c.active = 1",
    )
    .all() as {
    id: string;
    settlement_id: string;
    region_id: string;
  }[];
  const insert =
    sqlite.prepare(`insert into requests (number, user_id, person_iin, person_birth_date, for_child, applicant_category,
    special_category, region_id, settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, effective_from,
    outcome_at_submission, locale, decided_by, decided_at, reject_reason, reject_note, source_key)
    values (?, ?, ?, ?, 0, 'citizen', null, ?, ?, ?, ?, 'registered', ?, ?, ?, ?, '{"outcome":"accepted","reasons":[]}', ?, ?, ?, ?, null, ?)`);
  const rand = rng(42);
  const start = Date.parse("2026-01-01T00:00:00+05:00");
  const inWindow = Date.parse(`${CAMPAIGN.from}T00:00:00+05:00`);
  const windowDays = (Date.parse(`${TODAY}T00:00:00+05:00`) - inWindow) / DAY + 1;
  const recent = Date.parse(`${TODAY}T00:00:00+05:00`) - 2 * DAY;
  const write = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = rand();
      // 85 % inside the campaign window (up to today), the rest over the earlier months.
      const t = r < 0.85 ? inWindow + rand() * windowDays * DAY : start + rand() * (inWindow - start);
      const submitted = new Date(Math.min(t, Date.parse(`${TODAY}T17:59:00+05:00`)));
      const clinic = clinics[Math.floor(rand() * clinics.length)] as (typeof clinics)[number];
      const open = submitted.getTime() >= recent;
      const d = rand();
      const status = open
        ? d < 0.9
          ? "pending"
          : "needs_documents"
        : d < 0.8
          ? "approved"
          : d < 0.95
            ? "rejected"
            : "withdrawn";
      const decided =
        status === "approved" || status === "rejected"
          ? new Date(submitted.getTime() + (1 + rand() * 40) * 3_600_000)
          : null;
      const due = new Date(submitted.getTime() + 5 * 3_600_000 + DAY).toISOString().slice(0, 10);
      const ground = r < 0.85 ? "free_choice" : (GROUNDS[1 + Math.floor(rand() * (GROUNDS.length - 1))] as string);
      const iin = personIin(i);
      insert.run(
        `A-2026-${String(i + 1).padStart(6, "0")}`,
        100_000_000 + i,
        iin,
        `19${iin.slice(0, 2)}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`,
        clinic.region_id,
        clinic.settlement_id,
        clinic.id,
        ground,
        status,
        submitted.toISOString(),
        due,
        r < 0.85 ? "2027-01-01" : null,
        i % 3 === 0 ? "kk" : "ru",
        decided ? 900 + (i % 20) : null,
        decided?.toISOString() ?? null,
        status === "rejected" ? "clinic_full" : null,
        `bench:${i}`,
      );
    }
  });
  for (let i = 0; i < n; i += 50_000) write(i, Math.min(n, i + 50_000));
  sqlite
    .prepare(
      "insert into request_counters (year, last) values (2026, ?) on conflict (year) do update set last = excluded.last",
    )
    .run(n);
  sqlite.pragma("optimize");
}

/** A submitted application as the bot stores it (the same columns createRequest takes from the flow). */
function application(i: number, clinic: string): NewRequest {
  return {
    user_id: 100_000_000 + i,
    iin: personIin(i),
    person_birth_date: "1990-01-01",
    for_child: 0,
    applicant_category: "citizen",
    special_category: null,
    region_id: "almaty",
    settlement_id: "almaty",
    clinic_id: clinic,
    ground: "free_choice",
    residence_kind: "registered",
    status: "pending",
    submitted_at: `${TODAY}T05:00:00.000Z`,
    decision_due: "2026-10-31",
    effective_from: "2027-01-01",
    outcome_at_submission: '{"outcome":"accepted","reasons":[]}',
    locale: "ru",
    decided_by: null,
    decided_at: null,
    reject_reason: null,
    reject_note: null,
    source_key: `bench-insert:${i}`,
  };
}

/**
 * Steady state, as a busy day would have it: the queries are first run over their whole range of parameters (every
 * clinic once, say), so what is timed is the query, not the first read of a page from the file.
 */
async function time(runs: number, fn: (i: number) => Promise<unknown>, warm = 100): Promise<Summary> {
  for (let i = 0; i < Math.min(warm, runs); i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = nowMs();
    await fn(i);
    ms.push(nowMs() - t0);
  }
  return summarize(ms);
}

/**
 * The shipped directory into a database still at an older migration: the loader writes the latest schema's columns,
 * so it fills a scratch file at the latest migration, and each of its tables is copied with the columns the older
 * one has (the columns added since take their defaults when the later migrations run).
 */
async function seedOlderSchema(sqlite: SQLite.Database, scratchFile: string): Promise<void> {
  const scratch = openDatabase(`file:${scratchFile}`);
  try {
    await migrateToLatest(scratch.db);
    await seedDirectoryIfEmpty(scratch.db);
  } finally {
    await scratch.db.destroy();
  }
  const columns = (schema: string, table: string) =>
    (sqlite.prepare(`select name from pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).map(
      (c) => c.name,
    );
  sqlite.prepare("attach database ? as scratch").run(scratchFile);
  try {
    const all = sqlite
      .prepare(
        "select name, sql from scratch.sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%'",
      )
      .all() as { name: string; sql: string }[];
    // Full-text indexes and their own tables are filled by the triggers of the tables they index.
    const virtual = all.filter((t) => /^create virtual/i.test(t.sql)).map((t) => t.name);
    const tables = all.filter((t) => !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`)));
    sqlite.pragma("foreign_keys = OFF");
    try {
      sqlite.transaction(() => {
        for (const { name } of tables) {
          const older = new Set(columns("main", name));
          const shared = columns("scratch", name).filter((c) => older.has(c));
          if (shared.length === 0) continue;
          const list = shared.map((c) => `"${c}"`).join(", ");
          sqlite.exec(`insert into main."${name}" (${list}) select ${list} from scratch."${name}"`);
        }
      })();
    } finally {
      sqlite.pragma("foreign_keys = ON");
    }
  } finally {
    sqlite.exec("detach database scratch");
  }
}

/** `keepIn`: write the database there and leave it, to look at the plans by hand. */
export async function storageBench(n: number, runs = 200, keepIn?: string): Promise<StorageResult> {
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), "emhana-bench-storage-"));
  const file = join(dir, "bench.sqlite");
  const database = openDatabase(`file:${file}`);
  try {
    // Requests are written before the tallies exist, then migration 0006 counts them, as on a live database.
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const before = await migrator.migrateTo("0005-broadcasts");
    if (before.error) throw before.error;
    await seedOlderSchema(database.sqlite, join(dir, "directory.sqlite"));
    const g0 = nowMs();
    await generate(database.sqlite, n);
    const generateSeconds = (nowMs() - g0) / 1000;
    const m0 = nowMs();
    await migrateToLatest(database.db);
    const tallySeconds = (nowMs() - m0) / 1000;
    const vault = new Vault(newSecret());
    const s0 = nowMs();
    await protectStoredData({ db: database.db, vault });
    const sealSeconds = (nowMs() - s0) / 1000;
    const db = database.db;
    const clinicIds = (
      database.sqlite.prepare("select id from clinics where active = 1 order by id").all() as { id: string }[]
    ).map((c) => c.id);
    const clinicScope = (i: number): Scope => ({
      clinicIds: [clinicIds[i % clinicIds.length] as string],
      settlementId: null,
    });
    const almaty: Scope = { clinicIds: null, settlementId: "almaty" };
    const pick = rng(7);
    const someIin = () => personIin(Math.floor(pick() * n));
    const queries: Record<string, Summary> = {};
    queries["queue, all requests, first page"] = await time(runs, () => queuePage(db, ALL, TODAY, 0, 5));
    queries["queue, one clinic's support"] = await time(runs, (i) => queuePage(db, clinicScope(i), TODAY, 0, 5));
    queries["queue, page 20"] = await time(runs, () => queuePage(db, ALL, TODAY, 20, 5));
    queries["find by IIN"] = await time(runs, () => findRequests(db, ALL, { by: "iin", key: vault.index(someIin()) }));
    queries["find by request number"] = await time(runs, () =>
      findRequests(db, ALL, { by: "number", number: `A-2026-${String(1 + Math.floor(pick() * n)).padStart(6, "0")}` }),
    );
    queries["per-clinic counts (one clinic, campaign)"] = await time(runs, (i) =>
      requestStats(db, clinicScope(i), CAMPAIGN, TODAY),
    );
    queries["stats today, everything"] = await time(runs, () =>
      requestStats(db, ALL, { from: TODAY, to: TODAY }, TODAY),
    );
    queries["stats campaign, one city"] = await time(Math.min(runs, 50), () =>
      requestStats(db, almaty, CAMPAIGN, TODAY),
    );
    queries["stats campaign, everything"] = await time(Math.min(runs, 50), () =>
      requestStats(db, ALL, CAMPAIGN, TODAY),
    );
    let k = n;
    const insertOne = async () => {
      const i = k++;
      await createRequest({ db, vault }, application(i, clinicIds[i % clinicIds.length] as string), []);
    };
    // As in production (bot/main.ts): checkpoints in a worker thread, then SQLite's default for comparison.
    const ckpt = startCheckpointer(file, database.sqlite);
    queries["insert one application"] = await time(runs * 5, insertOne);
    await ckpt.stop();
    queries["insert one application, checkpoints in the writer"] = await time(runs * 5, insertOne);
    const fileMb = round(statSync(file).size / 1e6);
    return {
      requests: n,
      generateSeconds: round(generateSeconds),
      tallySeconds: round(tallySeconds),
      sealSeconds: round(sealSeconds),
      fileMb,
      queries,
    };
  } finally {
    await database.close();
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  }
}
