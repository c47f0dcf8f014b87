import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// R5: from 1 January 2027 private practitioners with a Fund contract also provide primary care (Order № 109 of
// 21 October 2025), so the directory says who provides it: a medical organisation (polyclinic, family health
// centre, ambulatory) or a private practitioner. Clinics stored before are organisations.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE clinics ADD COLUMN provider_kind TEXT NOT NULL DEFAULT 'organisation'
    CHECK (provider_kind IN ('organisation', 'private_practitioner'))`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("clinics").dropColumn("provider_kind").execute();
}
