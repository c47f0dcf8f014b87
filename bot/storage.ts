import { startCheckpointer } from "../data/checkpointer.js";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { DataKeyError, resolveDataKey, type KeySource } from "../data/data-key.js";
import { openDatabase, sqlitePathFromUrl, type Db, type OpenedDatabase } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { KeyStateError, protectStoredData, total } from "../data/protect.js";
import { Vault } from "../data/vault.js";
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
  vault: Vault;
  /** Where the data key came from; `created`: written on this start (main says so in one line). */
  keySource: KeySource;
  close(): Promise<void>;
}

/**
 * The data key (DATA_KEY, else the key file beside the database, made when missing), checked against the database
 * and used to seal what an older version stored in clear. A key file made now for a database sealed with another
 * key is taken away again, so the next start says the same thing instead of a different one.
 */
async function openVault(database: OpenedDatabase, dbPath: string, dataKey: string | undefined, log: Logger) {
  let key;
  try {
    key = resolveDataKey(dataKey, dbPath);
  } catch (err) {
    if (err instanceof DataKeyError) throw new StartupError(err.message);
    throw err;
  }
  const vault = new Vault(key.secret);
  try {
    const sealed = await protectStoredData({ db: database.db, vault });
    if (total(sealed) > 0) log.info(sealed, "personal data stored in clear before was sealed");
  } catch (err) {
    if (key.source.kind === "created") rmSync(key.source.path, { force: true });
    if (err instanceof KeyStateError) throw new StartupError(err.message);
    throw err;
  }
  return { vault, keySource: key.source };
}

/**
 * The database ready to serve: opened, migrated, the shipped directory loaded or brought up to date, old update
 * marks pruned now and every hour. WAL checkpoints (and their fsync) run in a worker thread, so no reply waits.
 */
export async function openStorage(databaseUrl: string, clock: Clock, log: Logger, dataKey?: string): Promise<Storage> {
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
  let opened;
  try {
    opened = await openVault(database, dbPath, dataKey, log);
  } catch (err) {
    await checkpointer?.stop();
    await database.close();
    throw err;
  }

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
    ...opened,
    async close() {
      clearInterval(pruneTimer);
      await checkpointer?.stop();
      await database.close();
    },
  };
}
