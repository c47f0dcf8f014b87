import type { Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable("broadcasts")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("reminder", "text")
      .addColumn("campaign_year", "integer")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_by", "integer")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("send_at", "text", (c) => c.notNull())
      .addColumn("started_at", "text")
      .addColumn("finished_at", "text")
      .addColumn("audience", "text", (c) => c.notNull())
      .addColumn("text_ru", "text")
      .addColumn("entities_ru", "text")
      .addColumn("text_kk", "text")
      .addColumn("entities_kk", "text")
      .addColumn("photo_file_id", "text")
      .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    // NULLs are distinct in a unique index: only reminders are constrained.
    await trx.schema
      .createIndex("broadcasts_reminder")
      .unique()
      .on("broadcasts")
      .columns(["reminder", "campaign_year"])
      .execute();
    await trx.schema.createIndex("broadcasts_status").on("broadcasts").columns(["status", "send_at"]).execute();
    await trx.schema
      .createTable("broadcast_recipients")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("broadcast_id", "integer", (c) => c.notNull().references("broadcasts.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("error", "text")
      .addColumn("updated_at", "text")
      .addUniqueConstraint("broadcast_recipients_one", ["broadcast_id", "user_id"])
      .execute();
    await trx.schema
      .createIndex("broadcast_recipients_queue")
      .on("broadcast_recipients")
      .columns(["broadcast_id", "status", "id"])
      .execute();
    await trx.schema
      .createTable("broadcast_drafts")
      .addColumn("user_id", "integer", (c) => c.primaryKey())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await trx.schema
      .createTable("reminder_sends")
      .addColumn("reminder", "text", (c) => c.notNull())
      .addColumn("year", "integer", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.notNull())
      .addColumn("broadcast_id", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("reminder_sends_pk", ["reminder", "year", "user_id"])
      .execute();
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reminder_sends").execute();
  await db.schema.dropTable("broadcast_drafts").execute();
  await db.schema.dropTable("broadcast_recipients").execute();
  await db.schema.dropTable("broadcasts").execute();
}
