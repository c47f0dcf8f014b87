import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// The outbox: every message the bot owes a person after a stored change (a decision, a document received, a
// withdrawal) is a row written in the same transaction as the change and sent after the commit by a worker, which
// resumes after a restart. A row names the recipient, the message's kind, the request it is about and a small JSON
// of codes (never names, IINs or texts): the text is rendered when sent, in the recipient's language then.
// sending_since marks the row a worker is sending (a crash leaves it set: the next start sends it again, the one
// possible duplicate); sent_at or failed_reason closes it, and closed rows are pruned after a week.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      chat_id INTEGER NOT NULL,
      kind TEXT NOT NULL,
      request_id INTEGER NULL REFERENCES requests (id) ON DELETE CASCADE,
      payload TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      sending_since TEXT NULL,
      sent_at TEXT NULL,
      failed_reason TEXT NULL)`.execute(trx);
    // The worker's look-up: open rows by due time; per chat, so one person's messages keep their order.
    await sql`CREATE INDEX outbox_open ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_reason IS NULL`.execute(
      trx,
    );
    await sql`CREATE INDEX outbox_open_chat ON outbox (chat_id, id) WHERE sent_at IS NULL AND failed_reason IS NULL`.execute(
      trx,
    );
    await sql`CREATE INDEX outbox_request ON outbox (request_id)`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox").execute();
}
