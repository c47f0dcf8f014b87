import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("drafts")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id"))
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("requests")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("number", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("person_iin", "text", (c) => c.notNull())
    .addColumn("person_birth_date", "text", (c) => c.notNull())
    .addColumn("for_child", "integer", (c) => c.notNull())
    .addColumn("applicant_category", "text", (c) => c.notNull())
    .addColumn("special_category", "text")
    .addColumn("region_id", "text", (c) => c.notNull())
    .addColumn("settlement_id", "text", (c) => c.notNull())
    .addColumn("clinic_id", "text", (c) => c.notNull())
    .addColumn("ground", "text", (c) => c.notNull())
    .addColumn("residence_kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("decision_due", "text", (c) => c.notNull())
    .addColumn("effective_from", "text")
    .addColumn("outcome_at_submission", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("decided_by", "integer")
    .addColumn("decided_at", "text")
    .addColumn("reject_reason", "text")
    .addColumn("reject_note", "text")
    .addColumn("source_key", "text", (c) => c.notNull().unique())
    .execute();
  // One open request per person: the database enforces it, not only the bot.
  await sql`create unique index requests_one_open_per_person on requests (person_iin)
    where status in ('pending', 'needs_documents')`.execute(db);
  await db.schema.createIndex("requests_user").on("requests").columns(["user_id", "submitted_at"]).execute();
  await db.schema.createIndex("requests_person").on("requests").columns(["person_iin", "status"]).execute();
  await db.schema
    .createIndex("requests_queue")
    .on("requests")
    .columns(["status", "decision_due", "submitted_at"])
    .execute();
  await db.schema
    .createIndex("requests_clinic")
    .on("requests")
    .columns(["clinic_id", "status", "submitted_at"])
    .execute();
  await db.schema
    .createTable("request_documents")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("request_id", "integer", (c) => c.notNull().references("requests.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_id", "text", (c) => c.notNull())
    .addColumn("file_unique_id", "text", (c) => c.notNull())
    .addColumn("mime_type", "text")
    .addColumn("file_size", "integer")
    .addColumn("file_name", "text")
    .addColumn("added_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("request_documents_request").on("request_documents").column("request_id").execute();
  await db.schema
    .createTable("attachments")
    .addColumn("person_iin", "text", (c) => c.primaryKey())
    .addColumn("clinic_id", "text", (c) => c.notNull())
    .addColumn("since", "text", (c) => c.notNull())
    .addColumn("request_id", "integer")
    .execute();
  await db.schema
    .createTable("request_counters")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("last", "integer", (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["request_counters", "attachments", "request_documents", "requests", "drafts"]) {
    await db.schema.dropTable(t).execute();
  }
}
