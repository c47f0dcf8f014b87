import { sql } from "kysely";
import type { Db } from "../db.js";

/** Ids longer than `length` characters, inactive clinics too: the few whose deep link carries a digest. */
export async function clinicIdsLongerThan(db: Db, length: number): Promise<string[]> {
  const rows = await db
    .selectFrom("clinics")
    .select("id")
    .where(sql<number>`length(id)`, ">", length)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}
