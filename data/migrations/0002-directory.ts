import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// The FTS5 and R*Tree tables are SQLite-only; a PostgreSQL port replaces them (pg_trgm, earthdistance or PostGIS).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  // kysely does not wrap SQLite migrations in a transaction: a half-applied migration must not be possible.
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable("regions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('oblast', 'city')`))
      .addColumn("name_ru", "text", (c) => c.notNull())
      .addColumn("name_kk", "text", (c) => c.notNull())
      .addColumn("atu_code", "text", (c) => c.notNull().unique())
      .addColumn("centre_id", "text")
      .addColumn("sort_order", "integer", (c) => c.notNull())
      .execute();
    await trx.schema
      .createTable("settlements")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("region_id", "text", (c) => c.notNull().references("regions.id"))
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('city', 'district_centre', 'village')`))
      .addColumn("name_ru", "text", (c) => c.notNull())
      .addColumn("name_kk", "text", (c) => c.notNull())
      .addColumn("atu_code", "text", (c) => c.notNull().unique())
      .addColumn("lat", "real")
      .addColumn("lon", "real")
      .addColumn("search", "text", (c) => c.notNull())
      .addColumn("sort_ru", "text", (c) => c.notNull())
      .addColumn("sort_kk", "text", (c) => c.notNull())
      .execute();
    await trx.schema.createIndex("settlements_region").on("settlements").columns(["region_id", "sort_ru"]).execute();
    await trx.schema
      .createTable("districts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("settlement_id", "text", (c) => c.notNull().references("settlements.id"))
      .addColumn("name_ru", "text", (c) => c.notNull())
      .addColumn("name_kk", "text", (c) => c.notNull())
      .addColumn("sort_order", "integer", (c) => c.notNull())
      .execute();
    await trx.schema.createIndex("districts_settlement").on("districts").column("settlement_id").execute();
    await trx.schema
      .createTable("clinics")
      .addColumn("seq", "integer", (c) => c.primaryKey())
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("bin", "text")
      .addColumn("name_ru", "text", (c) => c.notNull())
      .addColumn("name_kk", "text", (c) => c.notNull())
      .addColumn("address_ru", "text", (c) => c.notNull())
      .addColumn("address_kk", "text", (c) => c.notNull())
      .addColumn("settlement_id", "text", (c) => c.notNull().references("settlements.id"))
      .addColumn("district_id", "text", (c) => c.references("districts.id"))
      .addColumn("lat", "real", (c) => c.notNull().check(sql`lat between -90 and 90`))
      .addColumn("lon", "real", (c) => c.notNull().check(sql`lon between -180 and 180`))
      .addColumn("phone", "text")
      .addColumn("hours_ru", "text")
      .addColumn("hours_kk", "text")
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('adult', 'children', 'mixed', 'family')`))
      .addColumn("licensed", "integer", (c) => c.notNull().check(sql`licensed in (0, 1)`))
      .addColumn("licence_number", "text")
      .addColumn("capacity", "integer", (c) => c.notNull().check(sql`capacity >= 0`))
      .addColumn("attached", "integer", (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`attached >= 0`),
      )
      .addColumn("active", "integer", (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`active in (0, 1)`),
      )
      .addColumn("sample", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("search", "text", (c) => c.notNull())
      .addColumn("sort_ru", "text", (c) => c.notNull())
      .addColumn("sort_kk", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // Paginated "clinics of a settlement, by name" in either language.
    await trx.schema
      .createIndex("clinics_settlement_ru")
      .on("clinics")
      .columns(["settlement_id", "active", "sort_ru"])
      .execute();
    await trx.schema
      .createIndex("clinics_settlement_kk")
      .on("clinics")
      .columns(["settlement_id", "active", "sort_kk"])
      .execute();
    await trx.schema.createIndex("clinics_district").on("clinics").column("district_id").execute();
    // Not unique: branches of one organisation share a BIN.
    await trx.schema.createIndex("clinics_bin").on("clinics").column("bin").execute();
    await trx.schema
      .createTable("clinic_contracts")
      .addColumn("clinic_id", "text", (c) => c.notNull().references("clinics.id"))
      .addColumn("year", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("clinic_contracts_pk", ["clinic_id", "year"])
      .execute();
    // Trigram: substring search of ≥ 3 characters in any alphabet; shorter queries use LIKE on clinics.search.
    await sql`create virtual table clinics_fts using fts5(search, tokenize = 'trigram')`.execute(trx);
    await sql`create virtual table clinics_geo using rtree(id, min_lat, max_lat, min_lon, max_lon)`.execute(trx);
    // Triggers keep both indexes right whoever writes the clinics table.
    await sql`create trigger clinics_ai after insert on clinics begin
      insert into clinics_fts (rowid, search) values (new.seq, new.search);
      insert into clinics_geo (id, min_lat, max_lat, min_lon, max_lon) values (new.seq, new.lat, new.lat, new.lon, new.lon);
    end`.execute(trx);
    await sql`create trigger clinics_au_search after update of search on clinics begin
      update clinics_fts set search = new.search where rowid = new.seq;
    end`.execute(trx);
    await sql`create trigger clinics_au_geo after update of lat, lon on clinics begin
      update clinics_geo set min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon
        where id = new.seq;
    end`.execute(trx);
    await sql`create trigger clinics_ad after delete on clinics begin
      delete from clinics_fts where rowid = old.seq;
      delete from clinics_geo where id = old.seq;
    end`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["clinics_ad", "clinics_au_geo", "clinics_au_search", "clinics_ai"]) {
    await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
  }
  for (const t of [
    "clinics_geo",
    "clinics_fts",
    "clinic_contracts",
    "clinics",
    "districts",
    "settlements",
    "regions",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
