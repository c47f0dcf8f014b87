import { z } from "zod";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";

// Read by many updates (the operator's name in the welcome, the year's policy): compiled once.
const settingOf = precompiled({ key: "string" }, (db: Db, v: { key: string }) =>
  db.selectFrom("settings").select("value").where("key", "=", v.key),
);

/** Reads a JSON setting validated by `schema`; a missing or invalid value yields undefined. */
export async function getSetting<S extends z.ZodType>(db: Db, key: string, schema: S): Promise<z.infer<S> | undefined> {
  const [row] = await settingOf(db, { key });
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

/** Who runs the bot (the bot must say it), as admins set it: one name, or one per language. */
export const OPERATOR_KEY = "bot_operator";
const name = z.string().trim().min(1).max(200);
export const OperatorSchema = z.union([name, z.object({ ru: name, kk: name })]);
export type Operator = { ru: string; kk: string };

/** The bot's operator in both languages; undefined until an admin has set it (the bot then says so). */
export async function getOperator(db: Db): Promise<Operator | undefined> {
  const value = await getSetting(db, OPERATOR_KEY, OperatorSchema);
  if (value === undefined) return undefined;
  return typeof value === "string" ? { ru: value, kk: value } : value;
}

/** Every setting whose key starts with `prefix`, raw (the caller validates each value), in key order. */
export function settingsWithPrefix(db: Db, prefix: string): Promise<{ key: string; value: string }[]> {
  return db
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", ">=", prefix)
    .where("key", "<", `${prefix}\uffff`)
    .orderBy("key")
    .execute();
}

/** Removes a setting (a pending proposal once confirmed or cancelled). */
export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.deleteFrom("settings").where("key", "=", key).execute();
}
