import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "./db.js";
import { contractsOf } from "./repositories/clinic-rows.js";
import { toRow, type ClinicInput, type WritableRow } from "./repositories/clinics-write.js";
import type { ImportStagingTable, StagedChange } from "./schema/directory.js";

// The registry import in steps (migration 0015): checked rows are staged in short transactions while the file is
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

export function newImportId(): string {
  return randomUUID();
}

/** Each row against the stored clinic: added, updated, or unchanged (the same test as upsertClinic's). */
export async function classify(db: Db, rows: GoodRow[]): Promise<Classified[]> {
  const ids = rows.map((r) => r.input.id);
  const olds = new Map((await db.selectFrom("clinics").selectAll().where("id", "in", ids).execute()).map((o) => [o.id, o]));
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

/** One short transaction: a batch of checked rows. */
export async function stageBatch(db: Db, importId: string, rows: Classified[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 400) {
      await trx
        .insertInto("import_staging")
        .values(rows.slice(i, i + 400).map((r) => stagedRow(importId, r)))
        .execute();
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
  for (;;) {
    const { numAffectedRows } = await sql`DELETE FROM import_staging WHERE (import_id, id) IN
      (SELECT import_id, id FROM import_staging WHERE ${mine} LIMIT ${CLEAR_BATCH})`.execute(db);
    if (Number(numAffectedRows ?? 0) < CLEAR_BATCH) return;
    await new Promise((r) => setImmediate(r));
  }
}

export class ConcurrentImport extends Error {}

/**
 * The final step, one transaction of set-wise statements: added rows inserted, changed rows updated (an attached
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
  const cols = sql.raw(COLUMNS.join(", "));
  const fromStaged = sql.raw(COLUMNS.map((c) => (c === "sample" ? "0" : `s.${c}`)).join(", "));
  const setStaged = sql.raw(COLUMNS.map((c) => `${c} = ${c === "sample" ? "0" : `s.${c}`}`).join(", "));
  return db.transaction().execute(async (trx) => {
    const { n } = await trx
      .selectFrom("import_staging")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("import_id", "=", importId)
      .where("change", "!=", "named")
      .executeTakeFirstOrThrow();
    // Another import cleared this one's rows as leftovers: applying the rest would be half a file.
    if (Number(n) !== staged) throw new ConcurrentImport("another import ran at the same time; nothing was changed, run this one again");
    await sql`INSERT INTO clinics (id, ${cols}, attached, updated_at)
      SELECT s.id, ${fromStaged}, coalesce(s.attached, 0), ${opts.now}
      FROM import_staging s WHERE s.import_id = ${importId} AND s.change = 'added'`.execute(trx);
    await sql`UPDATE clinics SET ${setStaged}, attached = coalesce(s.attached, clinics.attached), updated_at = ${opts.now}
      FROM import_staging s WHERE s.import_id = ${importId} AND s.change = 'updated' AND clinics.id = s.id`.execute(trx);
    await sql`DELETE FROM clinic_contracts WHERE clinic_id IN
      (SELECT id FROM import_staging WHERE import_id = ${importId} AND change = 'updated')`.execute(trx);
    await sql`INSERT INTO clinic_contracts (clinic_id, year)
      SELECT s.id, j.value FROM import_staging s, json_each(s.contract_years) j
      WHERE s.import_id = ${importId} AND s.change IN ('added', 'updated')`.execute(trx);
    if (opts.partial) return 0;
    const gone = await sql`UPDATE clinics SET active = 0, updated_at = ${opts.now}
      WHERE active = 1 AND id NOT IN (SELECT id FROM import_staging WHERE import_id = ${importId})`.execute(trx);
    return Number(gone.numAffectedRows ?? 0);
  });
}
