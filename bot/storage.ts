import { startCheckpointer } from "../data/checkpointer.js";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { resolve } from "node:path";
import { openDatabase, sqlitePathFromUrl, type Db, type OpenedDatabase } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { pruneProcessed } from "../data/repositories/processed-updates.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import { StartupError } from "./telegram-connect.js";

const DAY_MS = 24 * 3_600_000;

/** The database file, or one line naming the path and what to do when it cannot be opened. */
function openOrSay(databaseUrl: string): OpenedDatabase {
  const path = sqlitePathFromUrl(databaseUrl);
  try {
    return openDatabase(databaseUrl);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === "string" ? code : err instanceof Error ? err.message : "unknown";
    throw new StartupError(
      `DATABASE_URL: cannot open ${resolve(path)} (${why}): make sure its folder exists and this user may write there`,
    );
  }
}

export interface Storage {
  db: Db;
  close(): Promise<void>;
}

/**
 * The database ready to serve: opened, migrated, the shipped directory loaded or brought up to date, old update
 * marks pruned now and every hour. WAL checkpoints (and their fsync) run in a worker thread, so no reply waits.
 */
export async function openStorage(databaseUrl: string, clock: Clock, log: Logger): Promise<Storage> {
  const database = openOrSay(databaseUrl);
  const dbPath = sqlitePathFromUrl(databaseUrl);
  const checkpointer =
    dbPath === ":memory:"
      ? undefined
      : startCheckpointer(dbPath, database.sqlite, {
          onError: (message) => log.warn({ message }, "background checkpoint failed"),
        });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied }, "migrations applied");

  // Telegram redelivers for at most a day: older update marks (stamped by the same clock) only take space.
  const prune = () =>
    pruneProcessed(database.db, new Date(clock.now().getTime() - 2 * DAY_MS).toISOString()).catch(() => 0);
  await prune();
  const pruneTimer = setInterval(() => void prune(), 3_600_000);
  pruneTimer.unref();

  const directory = await loadShippedDirectory(database.db, clock.now());
  if (directory.seeded) log.info(directory.seeded, "clinic directory loaded from the shipped dataset");
  if (directory.places && directory.places.added + directory.places.updated > 0)
    log.info(directory.places, "shipped places updated");
  if (directory.clinicsRelabelled > 0)
    log.info({ clinics: directory.clinicsRelabelled }, "shipped clinics marked as illustrative");

  return {
    db: database.db,
    async close() {
      clearInterval(pruneTimer);
      await checkpointer?.stop();
      await database.close();
    },
  };
}
