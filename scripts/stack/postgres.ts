import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Test and benchmark stacks on PostgreSQL: a new, empty database per stack on the server named by
 * TEST_POSTGRES_URL (default: the local server's `test` database, trust auth), dropped again at the end.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";

/** True when the test run asks for PostgreSQL (TEST_DATABASE=postgres); SQLite otherwise. */
export function testsOnPostgres(): boolean {
  return process.env.TEST_DATABASE === "postgres";
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface FreshPostgres {
  url: string;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

/** A new empty database; its name says it is a test's, so a later run can sweep what a killed run left. */
export async function freshPostgres(): Promise<FreshPostgres> {
  const name = `emhana_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(POSTGRES_ADMIN_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops the test databases of runs that ended without dropping theirs (a killed run). */
export async function sweepTestDatabases(): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'emhana\\_t\\_%'",
    );
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    return rows.length;
  });
}
