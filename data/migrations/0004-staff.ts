import type { Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("staff")
    .addColumn("user_id", "integer", (c) => c.primaryKey())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("clinic_ids", "text")
    .addColumn("settlement_id", "text")
    .addColumn("added_by", "integer")
    .addColumn("added_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "integer", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("request_id", "integer")
    .addColumn("old_status", "text")
    .addColumn("new_status", "text")
    .addColumn("details", "text")
    .execute();
  await db.schema.createIndex("audit_log_request").on("audit_log").columns(["request_id", "id"]).execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await db.schema.dropTable("staff").execute();
}
