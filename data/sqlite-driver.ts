import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from "kysely";

/**
 * Kysely's SQLite driver hands its one connection over through a lock that wakes every waiter at each release: all
 * but one find it taken again and wait anew. Under load, with a hundred updates in flight and a shared commit holding
 * the connection across its statements, each release woke dozens of waiters for nothing. Here waiters queue, and a
 * release hands the connection to the first of them only, in the order they asked. Kysely's own lock is not used.
 */
class QueuedSqliteDriver extends SqliteDriver {
  readonly #opened: { connection?: DatabaseConnection };
  #busy = false;
  readonly #waiting: (() => void)[] = [];

  constructor(config: SqliteDialectConfig) {
    // The driver keeps its connection to itself: it is caught as the driver makes it.
    const opened: { connection?: DatabaseConnection } = {};
    super({
      ...config,
      onCreateConnection: async (connection) => {
        opened.connection = connection;
        await config.onCreateConnection?.(connection);
      },
    });
    this.#opened = opened;
  }

  /** Nothing holds the connection (no query, no transaction), and it is open. */
  get free(): boolean {
    return !this.#busy && this.#opened.connection !== undefined;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#opened.connection;
    if (!connection) throw new Error("the SQLite driver is not initialized");
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy = true;
    return connection;
  }

  override async destroy(): Promise<void> {
    // Closed: a statement no longer runs at once, and kysely's way says the driver is gone.
    this.#opened.connection = undefined;
    await super.destroy();
  }

  override async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift();
    // The turn passes straight on (still busy), or the connection is free.
    if (next) next();
    else this.#busy = false;
  }
}

export class QueuedSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  #driver: QueuedSqliteDriver | undefined;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    this.#driver = new QueuedSqliteDriver(this.#config);
    return this.#driver;
  }

  /**
   * Runs a compiled statement at once when nothing holds the connection (or the caller's transaction does: `held`),
   * and returns its rows (none for a statement without RETURNING); undefined when another holds it (the caller then
   * queues through kysely as usual). Kysely's way to the connection (its executor, the connection provider, the
   * driver's turn, each awaited) costs about as much as SQLite takes for a small look-up. better-sqlite3 runs a
   * statement whole before anything else can, so no other query or transaction comes in between, as when kysely's
   * turn is taken and given back.
   */
  runNow(sql: string, parameters: readonly unknown[], held: boolean): unknown[] | undefined {
    const database = this.#config.database;
    if ((!held && !this.#driver?.free) || typeof database === "function") return undefined;
    const stmt = database.prepare(sql);
    if (stmt.reader) return stmt.all(parameters) as unknown[];
    stmt.run(parameters);
    return [];
  }
}

const DIALECT = Symbol("the SQLite dialect its statements can run on at once");
const HELD = Symbol("the transaction holds the connection");

/** Lets precompiled statements of this database (not of its transactions or plugins) run at once (runNow). */
export function runsNow(db: object, dialect: QueuedSqliteDialect): void {
  Object.defineProperty(db, DIALECT, { value: dialect });
}

/**
 * Runs `work` with a transaction of `db` whose precompiled statements run at once on the connection the transaction
 * holds, rather than through kysely's executor: only while `work` runs (a transaction object kept longer queues as
 * any other). Nothing else can use the connection meanwhile; the statements stay inside the transaction.
 */
export async function holdingConnection<T>(db: object, trx: object, work: () => Promise<T>): Promise<T> {
  const dialect = (db as { [DIALECT]?: QueuedSqliteDialect })[DIALECT];
  if (!dialect) return work();
  const held = { open: true };
  Object.defineProperty(trx, DIALECT, { value: dialect });
  Object.defineProperty(trx, HELD, { value: held });
  try {
    return await work();
  } finally {
    held.open = false;
  }
}

/** A compiled statement's rows, run at once on the database's free connection; undefined when it must queue. */
export function runNow(db: object, sql: string, parameters: readonly unknown[]): unknown[] | undefined {
  const target = db as { [DIALECT]?: QueuedSqliteDialect; [HELD]?: { open: boolean } };
  const held = target[HELD];
  if (held) return held.open ? target[DIALECT]?.runNow(sql, parameters, true) : undefined;
  return target[DIALECT]?.runNow(sql, parameters, false);
}
