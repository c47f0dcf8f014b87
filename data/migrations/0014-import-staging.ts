import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// The registry import stages its checked rows here in short transactions, then applies them to clinics in one
// short final step: people reading the directory meanwhile see the old one whole, never half of the new one.
// `change` is what the row does to clinics: added, updated, unchanged, or named (an id on a rejected row, which
// a full import must not treat as missing). Rows of an import that never finished are cleared by the next one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE import_staging (
      import_id TEXT NOT NULL,
      id TEXT NOT NULL,
      line INTEGER NOT NULL,
      change TEXT NOT NULL CHECK (change IN ('added', 'updated', 'unchanged', 'named')),
      bin TEXT, name_ru TEXT, name_kk TEXT, address_ru TEXT, address_kk TEXT,
      settlement_id TEXT, district_id TEXT, lat REAL, lon REAL, phone TEXT, hours_ru TEXT, hours_kk TEXT,
      kind TEXT, provider_kind TEXT, licensed INTEGER, licence_number TEXT, capacity INTEGER,
      attached INTEGER, active INTEGER, search TEXT, sort_ru TEXT, sort_kk TEXT,
      contract_years TEXT,
      PRIMARY KEY (import_id, id)) WITHOUT ROWID`.execute(trx);
    await sql`CREATE INDEX import_staging_change ON import_staging (import_id, change)`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_staging").execute();
}
