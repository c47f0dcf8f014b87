import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
//
// The staff read side must not scan a campaign's worth of requests. Triggers keep tallies for the three kinds of
// staff scope ('*' everything, 'c:<clinic>', 's:<settlement>'), per Almaty day and per month (a range is read as
// its whole months plus the days at either end): requests by status, ground, settlement and clinic, and decision
// times in tenths of an hour (the precision /stats shows) with the late flag. Partial indexes over the open
// requests serve the review queue in order.

const SCOPES = (r: string) => [`'*'`, `'c:' || ${r}clinic_id`, `'s:' || ${r}settlement_id`];
const FACETS = (r: string) => [
  `'status', ${r}status`,
  `'ground', ${r}ground`,
  `'settlement', ${r}settlement_id`,
  `'clinic', ${r}clinic_id`,
];
const GRAINS = (r: string) => [
  `'d', date(${r}submitted_at, '+5 hours')`,
  `'m', substr(date(${r}submitted_at, '+5 hours'), 1, 7)`,
];

/** The (scope, grain, period, facet, key) rows one request counts in; `r` prefixes its columns ("NEW.", "OLD." or ""). */
function contributions(r: string, from = ""): string {
  return SCOPES(r)
    .flatMap((scope) =>
      GRAINS(r).flatMap((grain) =>
        FACETS(r).map(
          (facet) =>
            `SELECT ${scope} AS scope, ${grain.replace(",", " AS grain,")} AS period, ${facet.replace(",", " AS facet,")} AS key ${from}`,
        ),
      ),
    )
    .join(" UNION ALL ");
}

/** A decided request's bucket (tenths of an hour, capped at ten days) and lateness (decided after its due day, R10). */
function decision(r: string, from = ""): string {
  return SCOPES(r)
    .flatMap((scope) =>
      GRAINS(r).map(
        (grain) => `SELECT ${scope} AS scope, ${grain.replace(",", " AS grain,")} AS period,
          min(2400, max(0, CAST(round((julianday(${r}decided_at) - julianday(${r}submitted_at)) * 240) AS INTEGER))) AS tenths,
          CASE WHEN date(${r}decided_at, '+5 hours') > ${r}decision_due THEN 1 ELSE 0 END AS late
          ${from} WHERE ${r}status IN ('approved', 'rejected') AND ${r}decided_at IS NOT NULL`,
      ),
    )
    .join(" UNION ALL ");
}

const add = (row: "NEW." | "OLD.", delta: 1 | -1) => `
  INSERT INTO request_tally (scope, grain, period, facet, key, n) SELECT scope, grain, period, facet, key, ${delta}
    FROM (${contributions(row)}) WHERE true
    ON CONFLICT (scope, grain, period, facet, key) DO UPDATE SET n = n + ${delta};
  INSERT INTO request_decision_tally (scope, grain, period, tenths, late, n) SELECT scope, grain, period, tenths, late, ${delta}
    FROM (${decision(row)}) WHERE true
    ON CONFLICT (scope, grain, period, tenths, late) DO UPDATE SET n = n + ${delta};`;

const OPEN = `status IN ('pending', 'needs_documents')`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE request_tally (
      scope TEXT NOT NULL, grain TEXT NOT NULL, period TEXT NOT NULL, facet TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (scope, grain, period, facet, key)) WITHOUT ROWID`.execute(trx);
    await sql`CREATE TABLE request_decision_tally (
      scope TEXT NOT NULL, grain TEXT NOT NULL, period TEXT NOT NULL, tenths INTEGER NOT NULL, late INTEGER NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (scope, grain, period, tenths, late)) WITHOUT ROWID`.execute(trx);
    await sql
      .raw(`CREATE TRIGGER requests_tally_insert AFTER INSERT ON requests BEGIN ${add("NEW.", 1)} END`)
      .execute(trx);
    await sql
      .raw(`CREATE TRIGGER requests_tally_delete AFTER DELETE ON requests BEGIN ${add("OLD.", -1)} END`)
      .execute(trx);
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
        `INSERT INTO request_tally (scope, grain, period, facet, key, n)
          SELECT scope, grain, period, facet, key, count(*) FROM (${contributions("", "FROM requests")}) GROUP BY scope, grain, period, facet, key`,
      )
      .execute(trx);
    await sql
      .raw(
        `INSERT INTO request_decision_tally (scope, grain, period, tenths, late, n)
          SELECT scope, grain, period, tenths, late, count(*) FROM (${decision("", "FROM requests")}) GROUP BY scope, grain, period, tenths, late`,
      )
      .execute(trx);
    // The queue: open requests oldest first, everywhere, per clinic and per settlement; the due day rides along so
    // "how many are overdue" is counted from the index alone.
    await sql
      .raw(`CREATE INDEX requests_open_by_time ON requests (submitted_at, id, decision_due) WHERE ${OPEN}`)
      .execute(trx);
    await sql
      .raw(`CREATE INDEX requests_open_by_clinic ON requests (clinic_id, submitted_at, id, decision_due) WHERE ${OPEN}`)
      .execute(trx);
    await sql
      .raw(
        `CREATE INDEX requests_open_by_settlement ON requests (settlement_id, submitted_at, id, decision_due) WHERE ${OPEN}`,
      )
      .execute(trx);
    // 0003's (clinic, status, submitted) served the queue and counts that now read the above; left in place, SQLite
    // prefers it and then reads a table row per open request. Requests by time (exports), a clinic's too, stay indexed.
    await sql`DROP INDEX requests_clinic`.execute(trx);
    await sql`CREATE INDEX requests_clinic_time ON requests (clinic_id, submitted_at)`.execute(trx);
    await sql`CREATE INDEX requests_time ON requests (submitted_at)`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["requests_tally_insert", "requests_tally_delete", "requests_tally_update"])
    await sql.raw(`DROP TRIGGER ${t}`).execute(db);
  for (const i of [
    "requests_open_by_time",
    "requests_open_by_clinic",
    "requests_open_by_settlement",
    "requests_clinic_time",
    "requests_time",
  ])
    await sql.raw(`DROP INDEX ${i}`).execute(db);
  await sql`CREATE INDEX requests_clinic ON requests (clinic_id, status, submitted_at)`.execute(db);
  await db.schema.dropTable("request_decision_tally").execute();
  await db.schema.dropTable("request_tally").execute();
}
