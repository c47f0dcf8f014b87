import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// Personal data protected at rest and the person's rights. IINs are no longer stored in clear: a request keeps its
// IIN sealed (AES-256-GCM) in iin_sealed and a keyed HMAC in iin_index for lookups; the current attachment is keyed
// by that HMAC and keeps the sealed IIN too (a key rotation recomputes the HMAC from it). Sealing needs the data key, which a migration does not have: rows stored before this migration
// keep their plain IIN (in the renamed columns) until the start-up step (data/protect.ts) seals them, resumably.
// The one-open-request rule moves to the HMAC. A person's consent to the current notice is one row per person;
// vault_state records which key the database is sealed with and a rotation in progress. Erasure: a request keeps
// its number, status and dates; erased_at says its personal fields were removed and erased_by why ('applicant' or
// 'retention'); documents_erased_at that its document references went under retention.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DROP INDEX requests_one_open_per_person`.execute(trx);
    await sql`DROP INDEX requests_person`.execute(trx);
    await sql`ALTER TABLE requests RENAME COLUMN person_iin TO iin_sealed`.execute(trx);
    await sql`ALTER TABLE requests ADD COLUMN iin_index TEXT NULL`.execute(trx);
    await sql`ALTER TABLE requests ADD COLUMN erasure_requested_at TEXT NULL`.execute(trx);
    await sql`ALTER TABLE requests ADD COLUMN erased_at TEXT NULL`.execute(trx);
    await sql`ALTER TABLE requests ADD COLUMN erased_by TEXT NULL
      CHECK ((erased_by IS NULL) = (erased_at IS NULL) AND (erased_by IS NULL OR erased_by IN ('applicant', 'retention')))`.execute(
      trx,
    );
    await sql`ALTER TABLE requests ADD COLUMN documents_erased_at TEXT NULL`.execute(trx);
    // NULL until sealed: SQLite lets NULLs repeat in a unique index, and the plain column's index held the rule so far.
    await sql`CREATE UNIQUE INDEX requests_one_open_per_iin ON requests (iin_index)
      WHERE status IN ('pending', 'needs_documents')`.execute(trx);
    await sql`CREATE INDEX requests_iin ON requests (iin_index, status)`.execute(trx);
    // The retention job's two scans: decided requests whose documents or personal fields are still there.
    await sql`CREATE INDEX requests_documents_kept ON requests (decided_at)
      WHERE documents_erased_at IS NULL AND decided_at IS NOT NULL`.execute(trx);
    await sql`CREATE INDEX requests_personal_kept ON requests (decided_at)
      WHERE erased_at IS NULL AND decided_at IS NOT NULL`.execute(trx);
    await sql`CREATE INDEX drafts_updated ON drafts (updated_at)`.execute(trx);
    await sql`ALTER TABLE attachments RENAME COLUMN person_iin TO iin_index`.execute(trx);
    // Sealed too, so a key rotation can compute the new index; '' until the start-up step seals the row.
    await sql`ALTER TABLE attachments ADD COLUMN iin_sealed TEXT NOT NULL DEFAULT ''`.execute(trx);
    await sql`CREATE TABLE consents (
      user_id INTEGER PRIMARY KEY,
      version TEXT NOT NULL,
      given_at TEXT NOT NULL
    )`.execute(trx);
    await sql`CREATE TABLE vault_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  // Sealed values cannot be turned back without the key: down only restores the shape.
  await db.transaction().execute(async (trx) => {
    await sql`DROP TABLE vault_state`.execute(trx);
    await sql`DROP TABLE consents`.execute(trx);
    await sql`ALTER TABLE attachments DROP COLUMN iin_sealed`.execute(trx);
    await sql`ALTER TABLE attachments RENAME COLUMN iin_index TO person_iin`.execute(trx);
    await sql`DROP INDEX drafts_updated`.execute(trx);
    await sql`DROP INDEX requests_personal_kept`.execute(trx);
    await sql`DROP INDEX requests_documents_kept`.execute(trx);
    await sql`DROP INDEX requests_iin`.execute(trx);
    await sql`DROP INDEX requests_one_open_per_iin`.execute(trx);
    await sql`ALTER TABLE requests DROP COLUMN documents_erased_at`.execute(trx);
    await sql`ALTER TABLE requests DROP COLUMN erased_by`.execute(trx);
    await sql`ALTER TABLE requests DROP COLUMN erased_at`.execute(trx);
    await sql`ALTER TABLE requests DROP COLUMN erasure_requested_at`.execute(trx);
    await sql`ALTER TABLE requests DROP COLUMN iin_index`.execute(trx);
    await sql`ALTER TABLE requests RENAME COLUMN iin_sealed TO person_iin`.execute(trx);
    await sql`create unique index requests_one_open_per_person on requests (person_iin)
      where status in ('pending', 'needs_documents')`.execute(trx);
    await sql`CREATE INDEX requests_person ON requests (person_iin, status)`.execute(trx);
  });
}
