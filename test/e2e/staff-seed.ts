import { expect } from "vitest";
import { keyFilePath, readKeyFile } from "../../data/data-key.js";
import { parseSecret, Vault } from "../../data/vault.js";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { buttons, L } from "../../scripts/stack/flow.js";
import type { Stack } from "../../scripts/stack/harness.js";
import { rawSqlAt } from "../fixtures/database.js";
import { walkTo } from "./walk.js";

// Shared by the staff end-to-end files: requests through the real flow or straight into the bot's database.

export interface Seed {
  number: string;
  userId: number;
  iin: string;
  locale: "ru" | "kk";
  clinic?: string;
  settlement?: string;
  /** The decision's last day (default 2026-09-16); an earlier one makes the request overdue. */
  due?: string;
}

/**
 * The running bot's data key: DATA_KEY when the stack sets it (PostgreSQL has no key file), else the key file the bot
 * wrote beside its SQLite database on the first start.
 */
export function vaultOf(stack: Stack): Vault {
  const envKey = stack.env.DATA_KEY;
  if (!envKey) return new Vault(readKeyFile(keyFilePath(stack.dbPath)));
  const secret = parseSecret(envKey);
  if (typeof secret === "string") throw new Error(`DATA_KEY ${secret}`);
  return new Vault(secret);
}

/** An IIN as the bot stores it: sealed, and its lookup index (the two values of iin_sealed, iin_index). */
export function storedIin(stack: Stack, iin: string): [string, string] {
  const vault = vaultOf(stack);
  return [vault.seal(iin, "iin"), vault.index(iin)];
}

export async function seedRequest(stack: Stack, s: Seed): Promise<number> {
  const { rows } = await rawSqlAt<{ id: number }>(
    stack.databaseUrl,
    `insert into requests (number, user_id, iin_sealed, iin_index, person_birth_date, for_child, applicant_category,
      region_id, settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, effective_from,
      outcome_at_submission, locale, source_key)
     values (?, ?, ?, ?, ?, 0, 'citizen', 'almaty', ?, ?, 'free_choice', 'registered', 'pending',
      '2026-09-15T05:00:00.000Z', ?, '2027-01-01', '{}', ?, ?)
     returning id`,
    s.number,
    s.userId,
    ...storedIin(stack, s.iin),
    `19${s.iin.slice(0, 2)}-${s.iin.slice(2, 4)}-${s.iin.slice(4, 6)}`,
    s.settlement ?? "almaty",
    s.clinic ?? "almaty-gp-1",
    s.due ?? "2026-09-16",
    s.locale,
    `seed:${s.number}`,
  );
  return rows[0]?.id ?? 0;
}

/** One query against the running bot's database (either kind; `?` placeholders). */
export async function query<T>(stack: Stack, sql: string, ...params: unknown[]): Promise<T[]> {
  return (await rawSqlAt<T>(stack.databaseUrl, sql, ...params)).rows;
}

/** One statement against the running bot's database; the number of rows it changed. */
export async function write(stack: Stack, sql: string, ...params: unknown[]): Promise<number> {
  return (await rawSqlAt(stack.databaseUrl, sql, ...params)).changes;
}

/** A Russian-speaking citizen applies for Городская поликлиника №1 (Almaty) through the real flow; the request number. */
export async function applyInAlmaty(u: ScriptedUser, iin: string): Promise<string> {
  const filed = await walkTo(u, "filed", { iin, clinic: "Городская поликлиника №1" });
  const number = /A-2026-\d{6}/.exec(filed.text ?? "")?.[0] ?? "";
  expect(number).not.toBe("");
  return number;
}

/** Opens a request's card from /queue (in the reviewer's language) and returns the card message. */
export async function openCard(u: ScriptedUser, lang: "ru" | "kk", number: string): Promise<StoredMessage> {
  const before = u.messages().length;
  const isNew = (m: StoredMessage) => u.messages().indexOf(m) >= before;
  u.command("/queue");
  const list = await u.waitFor((m) => isNew(m) && buttons(m).some((b) => b.includes(number)));
  await u.press(buttons(list).find((b) => b.includes(number)) ?? "", { message: list }).answer();
  return u.waitFor(
    (m) => isNew(m) && (m.text ?? "").startsWith(number) && buttons(m).includes(L(lang, "staff.buttons.show_iin")),
  );
}
