import { describe, expect, it } from "vitest";
import { health } from "../../../bot/health.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { openTestDatabase } from "../../fixtures/database.js";

describe("/healthz: the database answers and its migrations are current", () => {
  it("behind before the migrations, current after, unreachable once closed", async () => {
    const database = await openTestDatabase({ migrate: false });
    try {
      expect(await health(database.db)).toEqual({ ok: false, database: "reachable", migrations: "behind" });
      await migrateToLatest(database.db);
      expect(await health(database.db)).toEqual({ ok: true, database: "reachable", migrations: "current" });
      await database.close();
      expect(await health(database.db)).toEqual({ ok: false, database: "unreachable", migrations: "unknown" });
    } finally {
      await database.dispose();
    }
  });
});
