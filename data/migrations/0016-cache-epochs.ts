import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// Cache epochs: a counter per group of tables that change rarely (the settings; the clinic directory), raised by
// triggers on every write to them, by the bot, an import script or a second process alike. Each update reads the
// counters with its first statement; a bot keeps what it read from those tables while their counter stays the same.

/** The groups and their tables; written twice (here and in postgres/0016-cache-epochs.ts), keep them equal. */
export const EPOCH_TABLES = {
  settings: ["settings"],
  directory: ["regions", "settlements", "districts", "clinics", "clinic_contracts"],
} as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE cache_epochs (name TEXT PRIMARY KEY, epoch INTEGER NOT NULL)`.execute(trx);
    for (const [name, tables] of Object.entries(EPOCH_TABLES)) {
      await sql`INSERT INTO cache_epochs (name, epoch) VALUES (${name}, 1)`.execute(trx);
      for (const table of tables)
        for (const event of ["INSERT", "UPDATE", "DELETE"]) {
          // SQLite has row triggers only: a bulk import raises the counter once per row, still one cheap update.
          await sql
            .raw(
              `CREATE TRIGGER ${table}_epoch_${event.toLowerCase()} AFTER ${event} ON ${table}
               BEGIN UPDATE cache_epochs SET epoch = epoch + 1 WHERE name = '${name}'; END`,
            )
            .execute(trx);
        }
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const tables of Object.values(EPOCH_TABLES))
    for (const table of tables)
      for (const event of ["insert", "update", "delete"])
        await sql.raw(`DROP TRIGGER IF EXISTS ${table}_epoch_${event}`).execute(db);
  await db.schema.dropTable("cache_epochs").execute();
}
