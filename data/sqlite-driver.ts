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

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#opened.connection;
    if (!connection) throw new Error("the SQLite driver is not initialized");
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy = true;
    return connection;
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

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver(this.#config);
  }
}
