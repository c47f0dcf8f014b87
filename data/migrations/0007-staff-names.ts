import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// Staff display names (so colleagues see "who decided" as a name): a table of their own, since admins from
// ADMIN_IDS have no staff row. Names kept meanwhile in settings under "staff_name:<id>" move here.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable("staff_names")
      .addColumn("user_id", "integer", (c) => c.primaryKey())
      .addColumn("first_name", "text", (c) => c.notNull())
      .addColumn("username", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await sql`insert into staff_names (user_id, first_name, username, updated_at)
      select cast(substr(key, 12) as integer), json_extract(value, '$.firstName'), json_extract(value, '$.username'), updated_at
      from settings where key like 'staff_name:%' and json_valid(value) and json_extract(value, '$.firstName') is not null`.execute(
      trx,
    );
    await sql`delete from settings where key like 'staff_name:%'`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("staff_names").execute();
}
