import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
//
// Statistics over a campaign must not scan a million requests: triggers keep per-day tallies for the three kinds of
// staff scope ('*' everything, 'c:<clinic>', 's:<settlement>'), by status, ground, settlement and clinic, and a
// histogram of decision times in tenths of an hour (the precision /stats shows) with the late flag.

const SCOPES = (r: string) => [`'*'`, `'c:' || ${r}clinic_id`, `'s:' || ${r}settlement_id`];
const FACETS = (r: string) => [`'status', ${r}status`, `'ground', ${r}ground`, `'settlement', ${r}settlement_id`, `'clinic', ${r}clinic_id`];

/** The (scope, day, facet, key) rows one request counts in; `r` prefixes its columns ("NEW.", "OLD." or ""). */
function contributions(r: string, from = ""): string {
  return SCOPES(r)
    .flatMap((scope) => FACETS(r).map((facet) => `SELECT ${scope} AS scope, date(${r}submitted_at, '+5 hours') AS day, ${facet.replace(",", " AS facet,")} AS key ${from}`))
    .join(" UNION ALL ");
}

/** A decided request's bucket (tenths of an hour, capped at ten days) and lateness (decided after its due day, R10). */
function decision(r: string, from = ""): string {
  return SCOPES(r)
    .map(
      (scope) => `SELECT ${scope} AS scope, date(${r}submitted_at, '+5 hours') AS day,
        min(2400, max(0, CAST(round((julianday(${r}decided_at) - julianday(${r}submitted_at)) * 240) AS INTEGER))) AS tenths,
        CASE WHEN date(${r}decided_at, '+5 hours') > ${r}decision_due THEN 1 ELSE 0 END AS late
        ${from} WHERE ${r}status IN ('approved', 'rejected') AND ${r}decided_at IS NOT NULL`,
    )
    .join(" UNION ALL ");
}

const add = (row: "NEW." | "OLD.", delta: 1 | -1) => `
  INSERT INTO request_tally (scope, day, facet, key, n) SELECT scope, day, facet, key, ${delta} FROM (${contributions(row)}) WHERE true
    ON CONFLICT (scope, day, facet, key) DO UPDATE SET n = n + ${delta};
  INSERT INTO request_decision_tally (scope, day, tenths, late, n) SELECT scope, day, tenths, late, ${delta} FROM (${decision(row)}) WHERE true
    ON CONFLICT (scope, day, tenths, late) DO UPDATE SET n = n + ${delta};`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE request_tally (
      scope TEXT NOT NULL, day TEXT NOT NULL, facet TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (scope, day, facet, key)) WITHOUT ROWID`.execute(trx);
    await sql`CREATE TABLE request_decision_tally (
      scope TEXT NOT NULL, day TEXT NOT NULL, tenths INTEGER NOT NULL, late INTEGER NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (scope, day, tenths, late)) WITHOUT ROWID`.execute(trx);
    await sql.raw(`CREATE TRIGGER requests_tally_insert AFTER INSERT ON requests BEGIN ${add("NEW.", 1)} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER requests_tally_delete AFTER DELETE ON requests BEGIN ${add("OLD.", -1)} END`).execute(trx);
    await sql
      .raw(
        `CREATE TRIGGER requests_tally_update
          AFTER UPDATE OF status, ground, clinic_id, settlement_id, submitted_at, decided_at, decision_due ON requests
          BEGIN ${add("OLD.", -1)} ${add("NEW.", 1)} END`,
      )
      .execute(trx);
    // Requests stored before this migration.
    await sql
      .raw(
        `INSERT INTO request_tally (scope, day, facet, key, n)
          SELECT scope, day, facet, key, count(*) FROM (${contributions("", "FROM requests")}) GROUP BY scope, day, facet, key`,
      )
      .execute(trx);
    await sql
      .raw(
        `INSERT INTO request_decision_tally (scope, day, tenths, late, n)
          SELECT scope, day, tenths, late, count(*) FROM (${decision("", "FROM requests")}) GROUP BY scope, day, tenths, late`,
      )
      .execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["requests_tally_insert", "requests_tally_delete", "requests_tally_update"]) await sql.raw(`DROP TRIGGER ${t}`).execute(db);
  await db.schema.dropTable("request_decision_tally").execute();
  await db.schema.dropTable("request_tally").execute();
}
