import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "./db.js";
import { isPostgres, jsonIntegers } from "./dialect.js";
import { contractsOf } from "./repositories/clinic-rows.js";
import { toRow, type ClinicInput, type WritableRow } from "./repositories/clinics-write.js";
import type { ImportStagingTable, StagedChange } from "./schema/directory.js";

// The registry import in steps (migration 0014): checked rows are staged in short transactions while the file is
// read, then one short final transaction applies them set-wise. Readers (the bot, other connections under WAL) see
// the old directory until that step commits and the new one after it; an import that fails before it changes
// nothing in clinics.

export interface GoodRow {
  line: number;
  input: ClinicInput;
  districtNames: string[];
}
export type Classified = GoodRow & { change: Exclude<StagedChange, "named">; row: WritableRow };

/** The clinic columns an import writes, staged under the same names. */
const COLUMNS = [
  "bin",
  "name_ru",
  "name_kk",
  "address_ru",
  "address_kk",
  "settlement_id",
  "district_id",
  "lat",
  "lon",
  "phone",
  "hours_ru",
  "hours_kk",
  "kind",
  "provider_kind",
  "licensed",
  "licence_number",
  "capacity",
  "active",
  "sample",
  "search",
  "sort_ru",
  "sort_kk",
] as const satisfies readonly (keyof WritableRow)[];
const CLEAR_BATCH = 5000;
/** The staged row (an id no clinic can have) saying an import reached its final step. */
const APPLIED = "";

/**
 * A write transaction that takes SQLite's write lock at BEGIN: a deferred one that reads first fails at once with
 * "database is locked" when another connection (the bot) wrote meanwhile, instead of waiting busy_timeout.
 */
async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    // PostgreSQL locks rows as it writes them: a plain BEGIN.
    await (isPostgres(db) ? sql`BEGIN` : sql`BEGIN IMMEDIATE`).execute(conn);
    try {
      const out = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return out;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn);
      throw e;
    }
  });
}

export function newImportId(): string {
  return randomUUID();
}

/** Each row against the stored clinic: added, updated, or unchanged (the same test as upsertClinic's). */
export async function classify(db: Db, rows: GoodRow[]): Promise<Classified[]> {
  const ids = rows.map((r) => r.input.id);
  const olds = new Map(
    (await db.selectFrom("clinics").selectAll().where("id", "in", ids).execute()).map((o) => [o.id, o]),
  );
  const oldYears = await contractsOf(db, ids);
  return rows.map((r) => {
    const old = olds.get(r.input.id);
    const row = toRow(r.input, r.input.attached ?? old?.attached ?? 0, r.districtNames);
    if (!old) return { ...r, change: "added", row };
    const years = [...new Set(r.input.contractYears)].sort((a, b) => a - b).join(",");
    const same =
      (Object.keys(row) as (keyof WritableRow)[]).every((k) => row[k] === old[k]) &&
      (oldYears.get(r.input.id) ?? []).join(",") === years;
    return { ...r, change: same ? "unchanged" : "updated", row };
  });
}

function stagedRow(importId: string, c: Classified): ImportStagingTable {
  const data = c.change === "unchanged" ? undefined : c.row;
  const years = [...new Set(c.input.contractYears)].sort((a, b) => a - b);
  return {
    import_id: importId,
    id: c.input.id,
    line: c.line,
    change: c.change,
    ...Object.fromEntries(COLUMNS.filter((k) => k !== "sample").map((k) => [k, data ? data[k] : null])),
    attached: data ? (c.input.attached ?? null) : null,
    contract_years: data ? JSON.stringify(years) : null,
  } as ImportStagingTable;
}

/**
 * One short transaction: a batch of checked rows. New clinics are written to clinics at once, hidden (inactive, and
 * every reader of the directory asks for active clinics), so the final step only has to show them: building their
 * search and map indexes is the slow part of a large first import, and it is done here, step by step.
 */
export async function stageBatch(db: Db, importId: string, rows: Classified[], now: string): Promise<void> {
  const cols = sql.raw(COLUMNS.join(", "));
  const hidden = sql.raw(COLUMNS.map((c) => (c === "sample" || c === "active" ? "0" : `s.${c}`)).join(", "));
  await writeTransaction(db, async (trx) => {
    for (let i = 0; i < rows.length; i += 400) {
      const part = rows.slice(i, i + 400);
      await trx
        .insertInto("import_staging")
        .values(part.map((r) => stagedRow(importId, r)))
        .execute();
      const added = part.filter((r) => r.change === "added").map((r) => r.input.id);
      if (!added.length) continue;
      const ids = sql.join(added);
      await sql`INSERT INTO clinics (id, ${cols}, attached, updated_at)
        SELECT s.id, ${hidden}, coalesce(s.attached, 0), ${now}
        FROM import_staging s WHERE s.import_id = ${importId} AND s.id IN (${ids})`.execute(trx);
      const years = jsonIntegers(trx, "s.contract_years");
      await sql`INSERT INTO clinic_contracts (clinic_id, year)
        SELECT s.id, ${years.value} FROM import_staging s, ${years.from}
        WHERE s.import_id = ${importId} AND s.id IN (${ids})`.execute(trx);
    }
  });
}

/**
 * Ids named only on rejected rows, so a full import does not take them for missing clinics; staged last, so a good
 * row with the same id (staged already) is what counts.
 */
export async function stageNamed(db: Db, importId: string, named: ReadonlyMap<string, number>): Promise<void> {
  const values = [...named].map(([id, line]) => ({ import_id: importId, id, line, change: "named" as const }));
  for (let i = 0; i < values.length; i += 1000) {
    await db
      .insertInto("import_staging")
      .values(values.slice(i, i + 1000))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Deletes staged rows in short steps: this import's (ownId) or, with others, every other import's leftovers. */
export async function clearStaged(db: Db, importId: string, which: "own" | "others"): Promise<void> {
  const mine = which === "own" ? sql`import_id = ${importId}` : sql`import_id != ${importId}`;
  // The hidden new clinics of an import that did not reach its final step (still inactive: never shown).
  for (;;) {
    // An applied import's new clinics are the directory's (some inactive by the file): its marker row spares them.
    const hidden = sql`SELECT id FROM import_staging WHERE ${mine} AND change = 'added'
      AND import_id NOT IN (SELECT import_id FROM import_staging WHERE id = ${APPLIED})
      AND id IN (SELECT id FROM clinics WHERE active = 0) LIMIT ${CLEAR_BATCH}`;
    const { numAffectedRows } = await writeTransaction(db, async (trx) => {
      await sql`DELETE FROM clinic_contracts WHERE clinic_id IN (${hidden})`.execute(trx);
      const gone = await sql`DELETE FROM clinics WHERE active = 0 AND id IN (${hidden})`.execute(trx);
      await sql`UPDATE import_staging SET change = 'named' WHERE ${mine} AND change = 'added'
        AND id NOT IN (SELECT id FROM clinics)`.execute(trx);
      return gone;
    });
    if (Number(numAffectedRows ?? 0) < CLEAR_BATCH) break;
    await new Promise((r) => setImmediate(r));
  }
  for (;;) {
    const { numAffectedRows } = await sql`DELETE FROM import_staging WHERE (import_id, id) IN
      (SELECT import_id, id FROM import_staging WHERE ${mine} LIMIT ${CLEAR_BATCH})`.execute(db);
    if (Number(numAffectedRows ?? 0) < CLEAR_BATCH) return;
    await new Promise((r) => setImmediate(r));
  }
}

export class ConcurrentImport extends Error {}

/**
 * The final step, one transaction of set-wise statements: the hidden new clinics shown, changed rows updated (an attached
 * count the file leaves empty keeps the stored one, which approvals may have moved meanwhile), their Fund contract
 * years replaced, and without `partial` every active clinic the file does not name deactivated. Returns how many
 * were deactivated.
 */
export async function applyStaged(
  db: Db,
  importId: string,
  staged: number,
  opts: { partial: boolean; now: string },
): Promise<number> {
  // search and lat/lon are set apart, only where they changed: setting them fires the FTS and R*Tree triggers.
  const plain = COLUMNS.filter((c) => c !== "search" && c !== "lat" && c !== "lon");
  const setStaged = sql.raw(plain.map((c) => `${c} = ${c === "sample" ? "0" : `s.${c}`}`).join(", "));
  const updated = sql`FROM import_staging s WHERE s.import_id = ${importId} AND s.change = 'updated' AND clinics.id = s.id`;
  return writeTransaction(db, async (trx) => {
    const { n } = await trx
      .selectFrom("import_staging")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("import_id", "=", importId)
      .where("change", "!=", "named")
      .executeTakeFirstOrThrow();
    // Another import cleared this one's rows as leftovers: applying the rest would be half a file.
    if (Number(n) !== staged)
      throw new ConcurrentImport("another import ran at the same time; nothing was changed, run this one again");
    await trx
      .insertInto("import_staging")
      .values({ import_id: importId, id: APPLIED, line: 0, change: "named" } as ImportStagingTable)
      .execute();
    await sql`UPDATE clinics SET active = s.active FROM import_staging s
      WHERE s.import_id = ${importId} AND s.change = 'added' AND clinics.id = s.id`.execute(trx);
    await sql`UPDATE clinics SET ${setStaged}, attached = coalesce(s.attached, clinics.attached), updated_at = ${opts.now}
      ${updated}`.execute(trx);
    await sql`UPDATE clinics SET search = s.search ${updated} AND clinics.search != s.search`.execute(trx);
    await sql`UPDATE clinics SET lat = s.lat, lon = s.lon ${updated} AND (clinics.lat != s.lat OR clinics.lon != s.lon)`.execute(
      trx,
    );
    await sql`DELETE FROM clinic_contracts WHERE clinic_id IN
      (SELECT id FROM import_staging WHERE import_id = ${importId} AND change = 'updated')`.execute(trx);
    const years = jsonIntegers(trx, "s.contract_years");
    await sql`INSERT INTO clinic_contracts (clinic_id, year)
      SELECT s.id, ${years.value} FROM import_staging s, ${years.from}
      WHERE s.import_id = ${importId} AND s.change = 'updated'`.execute(trx);
    if (opts.partial) return 0;
    const gone = await sql`UPDATE clinics SET active = 0, updated_at = ${opts.now}
      WHERE active = 1 AND id NOT IN (SELECT id FROM import_staging WHERE import_id = ${importId})`.execute(trx);
    return Number(gone.numAffectedRows ?? 0);
  });
}
