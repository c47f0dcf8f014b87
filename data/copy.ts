import { sql } from "kysely";
import type { Db } from "./db.js";
import { isPostgres } from "./dialect.js";
import type { Database } from "./schema.js";

// A one-way copy of every stored row from one database to another of either kind (SQLite to PostgreSQL to move a
// service), read from one snapshot of the source and verified by counts. Sealed values are copied as they are: the
// target is read with the same data key.

type Table = keyof Database & string;

/** Tables in an order that keeps foreign keys satisfied, each with the columns that order its rows. */
export const COPIED: readonly { table: Table; key: string[] }[] = [
  { table: "users", key: ["id"] },
  { table: "processed_updates", key: ["update_id"] },
  { table: "update_inbox", key: ["first_id"] },
  { table: "conversation_state", key: ["key"] },
  { table: "settings", key: ["key"] },
  { table: "vault_state", key: ["name"] },
  { table: "consents", key: ["user_id"] },
  { table: "regions", key: ["id"] },
  { table: "settlements", key: ["id"] },
  { table: "districts", key: ["id"] },
  { table: "clinics", key: ["seq"] },
  { table: "clinic_contracts", key: ["clinic_id", "year"] },
  { table: "drafts", key: ["user_id"] },
  { table: "requests", key: ["id"] },
  { table: "request_documents", key: ["id"] },
  { table: "attachments", key: ["iin_index"] },
  { table: "request_counters", key: ["year"] },
  { table: "staff", key: ["user_id"] },
  { table: "staff_names", key: ["user_id"] },
  { table: "audit_log", key: ["id"] },
  { table: "broadcasts", key: ["id"] },
  { table: "broadcast_recipients", key: ["id"] },
  { table: "broadcast_drafts", key: ["user_id"] },
  { table: "reminder_sends", key: ["reminder", "year", "user_id"] },
  { table: "link_starts", key: ["clinic_id", "day"] },
  { table: "pending_links", key: ["user_id"] },
  { table: "outbox", key: ["id"] },
];

/** Kept by triggers on the target as requests are copied: compared after the copy, not copied. */
export const DERIVED: readonly Table[] = ["request_tally", "request_decision_tally"];

/** Not copied: an import's rows in progress (an import resumes from its file, not from them). */
const TRANSIENT: ReadonlySet<string> = new Set(["import_staging"]);

/**
 * Tables each kind keeps for itself: migrations, SQLite's search and map indexes, and the cache epochs (raised on the
 * target by its triggers as the rows arrive).
 */
const OWN = /^(kysely_migration|kysely_migration_lock|cache_epochs|clinics_fts.*|clinics_geo.*|sqlite_.*)$/;

/** Identity columns whose sequence must start after the copied ids (PostgreSQL). */
const IDENTITY: readonly [Table, string][] = [
  ["clinics", "seq"],
  ["requests", "id"],
  ["request_documents", "id"],
  ["audit_log", "id"],
  ["broadcasts", "id"],
  ["broadcast_recipients", "id"],
  ["outbox", "id"],
];

const BATCH = 500;

export class CopyError extends Error {}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

async function count(db: Db, table: Table): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The tally tables' contents as one comparable sum per table (count and total of n). */
async function tallySum(db: Db, table: Table): Promise<number> {
  const r = await sql<{ n: number | null }>`SELECT sum(n) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Refuses a target that holds rows already, and a source with tables this copy does not know. */
async function check(source: Db, target: Db): Promise<void> {
  const known = new Set<string>([...COPIED.map((c) => c.table), ...DERIVED, ...TRANSIENT]);
  const tables = await source.introspection.getTables();
  const unknown = tables.map((t) => t.name).filter((n) => !known.has(n) && !OWN.test(n));
  if (unknown.length)
    throw new CopyError(`the source has tables this copy does not know (${unknown.join(", ")}): update data/copy.ts`);
  for (const { table } of COPIED) {
    if (table === "regions" || table === "settlements" || table === "districts") continue;
    if ((await count(target, table)) > 0)
      throw new CopyError(`the target already holds ${table}: copy into a new, empty database`);
  }
}

/** Copies every row; returns the counts of both sides, which must be equal (else CopyError). */
export async function copyDatabase(
  source: Db,
  target: Db,
  onTable: (table: string, rows: number) => void = () => undefined,
): Promise<TableCount[]> {
  await check(source, target);
  // One read transaction on the source: a consistent snapshot even while the bot writes (SQLite's WAL; on
  // PostgreSQL, repeatable read).
  const snapshot = isPostgres(source)
    ? source.transaction().setIsolationLevel("repeatable read")
    : source.transaction();
  return snapshot.execute(async (from) => {
    await target.transaction().execute(async (to) => {
      // Places may be in the target already (a bot started on it loads the shipped ones; no clinic refers to them,
      // see check): the source's replace them.
      for (const t of ["districts", "settlements", "regions"] as const) await to.deleteFrom(t).execute();
      for (const { table, key } of COPIED) {
        let rows = 0;
        for (let offset = 0; ; offset += BATCH) {
          let q = from.selectFrom(table).selectAll();
          for (const k of key) q = q.orderBy(sql.ref(k));
          const batch = (await q.limit(BATCH).offset(offset).execute()) as Record<string, unknown>[];
          if (batch.length === 0) break;
          await to
            .insertInto(table)
            .values(batch as never)
            .execute();
          rows += batch.length;
          if (batch.length < BATCH) break;
        }
        onTable(table, rows);
      }
      if (isPostgres(to)) {
        for (const [table, column] of IDENTITY)
          await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(
            to,
          );
      }
    });
    const counts: TableCount[] = [];
    for (const { table } of COPIED)
      counts.push({ table, source: await count(from, table), target: await count(target, table) });
    for (const table of DERIVED)
      counts.push({ table, source: await tallySum(from, table), target: await tallySum(target, table) });
    const wrong = counts.filter((c) => c.source !== c.target);
    if (wrong.length)
      throw new CopyError(
        `counts differ after the copy: ${wrong.map((c) => `${c.table} ${c.source} → ${c.target}`).join(", ")}`,
      );
    return counts;
  });
}
