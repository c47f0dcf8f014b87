import { sql } from "kysely";
import type { Db } from "../data/db.js";
import { migrationsFor } from "../data/migrate.js";

export interface Health {
  ok: boolean;
  database: "reachable" | "unreachable";
  migrations: "current" | "behind" | "unknown";
}

/** GET /healthz: the database answers and every migration this code knows has been applied. */
export async function health(db: Db): Promise<Health> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return { ok: false, database: "unreachable", migrations: "unknown" };
  }
  const applied = await db
    .selectFrom("kysely_migration" as never)
    .select(sql<string>`name`.as("name"))
    .execute()
    .then((rows) => new Set(rows.map((r) => r.name)))
    .catch(() => new Set<string>());
  const current = Object.keys(migrationsFor(db)).every((name) => applied.has(name));
  return { ok: current, database: "reachable", migrations: current ? "current" : "behind" };
}
