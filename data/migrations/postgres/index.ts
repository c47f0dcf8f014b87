import type { Migration } from "kysely";
import * as m0015 from "./0015-baseline.js";
import * as m0016 from "./0016-cache-epochs.js";
import * as m0017 from "./0017-update-inbox.js";

/**
 * PostgreSQL's migrations, in order. It starts with the schema SQLite reached at 0015-outbox; from 0016 on, every
 * change is written twice, here and in ../index.ts, under the same name. Names are frozen once landed.
 */
export const postgresMigrations: Record<string, Migration> = {
  "0015-baseline": m0015,
  "0016-cache-epochs": m0016,
  "0017-update-inbox": m0017,
};
