import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { L, tap, until } from "../../scripts/stack/flow.js";
import { policyForYear } from "../../data/datasets/load-rules-data.js";
import type { Policy } from "../../rules/index.js";
import { rawSqlAt } from "../fixtures/database.js";

/** The autumn window (R7) as held in 2025; the shipped 2026 policy carries it unconfirmed. */
export const AUTUMN_CAMPAIGN: NonNullable<Policy["campaign"]> = {
  start: "09-01",
  end: "11-01",
  effectiveFrom: { monthDay: "01-01", yearOffset: 1 },
};

/**
 * What a test needs of a year's policy, stated where it is needed: an admin's override (settings `policy:<year>`,
 * which the bot reads live) holding the shipped policy with `patch`. Call it after the stack has started (the
 * database is migrated then), on its DATABASE_URL.
 */
export async function overridePolicy(databaseUrl: string, year: number, patch: Partial<Policy>): Promise<void> {
  await rawSqlAt(
    databaseUrl,
    `insert into settings (key, value, updated_at, updated_by) values (?, ?, '2026-01-01T00:00:00.000Z', 1)
     on conflict (key) do update set value = excluded.value`,
    `policy:${year}`,
    JSON.stringify({ ...policyForYear(year), ...patch }),
  );
}

type Lang = "ru" | "kk";

/** A locale text without its tags and up to its first {{variable}}: what a message shows of it. */
export const plain = (lang: Lang, key: string) =>
  (
    L(lang, key)
      .replace(/<[^>]+>/g, "")
      .split("{{")[0] ?? ""
  ).trim();

/** A locale text with its variables filled and its tags dropped. */
export function fill(lang: Lang, key: string, vars: Record<string, string | number>): string {
  return L(lang, key)
    .replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ""))
    .replace(/<[^>]+>/g, "");
}

/** An admin presses Apply under the newest policy proposal and waits for "saved". */
export async function apply(u: ScriptedUser, lang: Lang, year = 2026): Promise<void> {
  await tap(u, L(lang, "policy.admin.buttons.apply"));
  await until(u, fill(lang, "policy.admin.saved", { year }));
}
