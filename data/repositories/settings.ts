import type { z } from "zod";
import type { Db } from "../db.js";

/** Reads a JSON setting validated by `schema`; a missing or invalid value yields undefined. */
export async function getSetting<S extends z.ZodType>(db: Db, key: string, schema: S): Promise<z.infer<S> | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  if (!row) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export async function putSetting(db: Db, key: string, value: unknown, at: string, by: number | null): Promise<void> {
  const text = JSON.stringify(value);
  await db
    .insertInto("settings")
    .values({ key, value: text, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: text, updated_at: at, updated_by: by }))
    .execute();
}
