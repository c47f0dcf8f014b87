import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// R2: EAEU labour migrants, their families and temporarily staying foreigners attach on an insurance contract, and
// the attachment ends with it, so the request keeps the contract's kind and last day (an Almaty day, YYYY-MM-DD).
// Both NULL for everyone else and for requests stored before this migration; the CHECKs keep the pair whole.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE requests ADD COLUMN insurance_kind TEXT NULL
      CHECK (insurance_kind IN ('voluntary', 'compulsory'))`.execute(trx);
    // A real calendar day (date() normalises 2027-02-30 to something else), set exactly when the kind is.
    await sql`ALTER TABLE requests ADD COLUMN insurance_valid_until TEXT NULL
      CHECK ((insurance_valid_until IS NULL) = (insurance_kind IS NULL)
        AND (insurance_valid_until IS NULL OR (insurance_valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
          AND date(insurance_valid_until) = insurance_valid_until)))`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  // The second column's CHECK names the first: it goes first.
  await db.schema.alterTable("requests").dropColumn("insurance_valid_until").execute();
  await db.schema.alterTable("requests").dropColumn("insurance_kind").execute();
}
