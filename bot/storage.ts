import { startCheckpointer } from "../data/checkpointer.js";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { rmSync } from "node:fs";
import { sql } from "kysely";
import { resolve } from "node:path";
import { DataKeyError, resolveDataKey, type KeySource } from "../data/data-key.js";
import { isPostgresUrl, openDatabaseUrl, sqlitePathFromUrl, type AnyDatabase, type Db } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { ChatLocks, RoleLock, withStartupLock } from "../data/pg-locks.js";
import { KeyStateError, protectStoredData, total } from "../data/protect.js";
import { Vault } from "../data/vault.js";
import { pruneProcessed } from "../data/repositories/processed-updates.js";
import { INBOX_GIVE_UP_MS, pruneInbox } from "../data/repositories/update-inbox.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import { StartupError } from "./telegram-connect.js";

const DAY_MS = 24 * 3_600_000;

/** The database, or one line naming the path and what to do when it cannot be opened. */
function openOrSay(databaseUrl: string, log: Logger, poolSize: number): AnyDatabase {
  if (isPostgresUrl(databaseUrl))
    return openDatabaseUrl(databaseUrl, {
      max: poolSize,
      // Only the error's kind: the URL (and its password) stays out of the log.
      onError: (err) => log.warn({ code: (err as { code?: unknown }).code }, "a database connection was lost"),
    });
  const path = sqlitePathFromUrl(databaseUrl);
  try {
    return openDatabaseUrl(databaseUrl);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === "string" ? code : err instanceof Error ? err.message : "unknown";
    throw new StartupError(
      `DATABASE_URL: cannot open ${resolve(path)} (${why}): make sure its folder exists and this user may write there`,
    );
  }
}

/** The PostgreSQL server answers, or one line saying it does not (the URL itself, with its password, is not shown). */
async function reachable(db: Db): Promise<void> {
  try {
    await sql`SELECT 1`.execute(db);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === "string" ? code : err instanceof Error ? err.message : "unknown";
    throw new StartupError(
      `DATABASE_URL: cannot reach the PostgreSQL server (${why}): check that it runs and that the URL's host, port, user and database are right`,
    );
  }
}

export interface Storage {
  /** The database itself, for what only one kind has (PostgreSQL's locks and pool figures). */
  database: AnyDatabase;
  db: Db;
  vault: Vault;
  /** PostgreSQL: one update of a chat at a time across instances (none with SQLite: one process). */
  chatLocks: ChatLocks | undefined;
  /** PostgreSQL: a lock only one instance holds at a time (undefined with SQLite, where there is one instance). */
  roleLock(role: "leader" | "poller"): RoleLock | undefined;
  /** Where the data key came from; `created`: written on this start (main says so in one line). */
  keySource: KeySource;
  close(): Promise<void>;
}

/**
 * The data key (DATA_KEY, else the key file beside the database, made when missing), checked against the database
 * and used to seal what an older version stored in clear. A key file made now for a database sealed with another
 * key is taken away again, so the next start says the same thing instead of a different one.
 */
async function openVault(database: AnyDatabase, dbPath: string, dataKey: string | undefined, log: Logger) {
  let key;
  try {
    if (database.kind === "postgres" && !dataKey?.trim())
      throw new DataKeyError(
        "DATA_KEY: required with a PostgreSQL DATABASE_URL (every instance needs the same key): set it to the base64 of 32 random bytes, e.g. the output of `openssl rand -base64 32`",
      );
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
export async function openStorage(
  databaseUrl: string,
  clock: Clock,
  log: Logger,
  dataKey?: string,
  poolSize = 10,
): Promise<Storage> {
  const database = openOrSay(databaseUrl, log, poolSize);
  const dbPath = database.kind === "sqlite" ? sqlitePathFromUrl(databaseUrl) : ":memory:";
  const checkpointer =
    database.kind === "postgres" || dbPath === ":memory:"
      ? undefined
      : startCheckpointer(dbPath, database.sqlite, {
          onError: (message) => log.warn({ message }, "background checkpoint failed"),
        });
  const prepare = async () => {
    const applied = await migrateToLatest(database.db);
    if (applied.length) log.info({ applied }, "migrations applied");
    const vault = await openVault(database, dbPath, dataKey, log);
    const directory = await loadShippedDirectory(database.db, clock.now());
    return { vault, directory };
  };
  let opened;
  let directory;
  try {
    if (database.kind === "postgres") await reachable(database.db);
    ({ vault: opened, directory } =
      database.kind === "postgres" ? await withStartupLock(databaseUrl, prepare) : await prepare());
  } catch (err) {
    await checkpointer?.stop();
    await database.close();
    throw err;
  }

  // Telegram redelivers for at most a day: older update marks (stamped by the same clock) only take space.
  // Kept batches of polled updates go here too: a bot switched to webhook mode, or stopped, prunes none of its own.
  const prune = () =>
    Promise.all([
      pruneProcessed(database.db, new Date(clock.now().getTime() - 2 * DAY_MS).toISOString()).catch(() => 0),
      pruneInbox(database.db, new Date(clock.now().getTime() - INBOX_GIVE_UP_MS).toISOString()).catch(() => 0),
    ]);
  await prune();
  const pruneTimer = setInterval(() => void prune(), 3_600_000);
  pruneTimer.unref();

  if (directory.seeded) log.info(directory.seeded, "clinic directory loaded from the shipped dataset");
  if (directory.places && directory.places.added + directory.places.updated > 0)
    log.info(directory.places, "shipped places updated");
  if (directory.clinicsRelabelled > 0)
    log.info({ clinics: directory.clinicsRelabelled }, "shipped clinics marked as illustrative");

  const lost = (err: Error) =>
    log.warn({ code: (err as { code?: unknown }).code }, "a database lock connection was lost");
  const chatLocks =
    database.kind === "postgres" ? new ChatLocks({ url: databaseUrl, max: poolSize, onError: lost }) : undefined;
  return {
    database,
    db: database.db,
    ...opened,
    chatLocks,
    roleLock: (role) => (database.kind === "postgres" ? new RoleLock(databaseUrl, role, lost) : undefined),
    async close() {
      clearInterval(pruneTimer);
      await chatLocks?.close();
      await checkpointer?.stop();
      await database.close();
    },
  };
}
