import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { Db } from "./db.js";
import { isPostgres } from "./dialect.js";
import { migrations } from "./migrations/index.js";
import { postgresMigrations } from "./migrations/postgres/index.js";

/** The migrations of this database's kind: SQLite's history, or PostgreSQL's (which starts at SQLite's 0015). */
export function migrationsFor(db: Db): Record<string, Migration> {
  return isPostgres(db) ? postgresMigrations : migrations;
}

// A static list instead of FileMigrationProvider: works the same under tsx, vitest and a bundler.
class StaticProvider implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.list);
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider(migrationsFor(db)) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
