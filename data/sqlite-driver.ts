import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from "kysely";

/**
 * Kysely's SQLite driver hands its one connection over through a lock that wakes every waiter at each release: all
 * but one find it taken again and wait anew. Under load, with a hundred updates in flight and a shared commit holding
 * the connection across its statements, each release woke dozens of waiters for nothing. Here waiters queue and the
 * releasing query hands the connection to the first of them only, in the order they asked.
 */
class QueuedSqliteDriver extends SqliteDriver {
  #busy = false;
  readonly #waiting: (() => void)[] = [];

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy = false;
    // Never contended: only the holder of the turn gets here.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
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
