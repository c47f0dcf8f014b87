// The sample people of the sandbox, and how the staff among them get their roles: through the real bot, the way
// an admin does it in production (`/staff add <id> <role>` from an ADMIN_IDS admin).
import { openDatabase } from "../../data/db.js";
import { findStaff } from "../../data/repositories/staff.js";
import { getUser, touchUser } from "../../data/repositories/users.js";
import type { Emulator } from "../emulator/index.js";

export type Role = "citizen" | "support" | "operator" | "admin";

export interface Persona {
  /** Stable key for the page and URLs (#citizen-kk). */
  key: string;
  id: number;
  firstName: string;
  lastName?: string;
  /** Telegram's language_code of their app: the bot's first guess of their language. */
  languageCode: "ru" | "kk";
  role: Role;
}

// Ids far from the e2e tests' ones, so a sandbox database never looks like a test's.
export const PERSONAS: readonly Persona[] = [
  { key: "citizen-ru", id: 880001, firstName: "Айгерим", lastName: "Сергеева", languageCode: "ru", role: "citizen" },
  { key: "citizen-kk", id: 880002, firstName: "Ерлан", lastName: "Бекұлы", languageCode: "kk", role: "citizen" },
  // A newcomer who scans a clinic's poster: try "open by link" (🔗) on a chat that has never started.
  { key: "visitor-kk", id: 880006, firstName: "Гүлнар", lastName: "Сейітова", languageCode: "kk", role: "citizen" },
  { key: "support", id: 880003, firstName: "Сәуле", lastName: "Ахметова", languageCode: "ru", role: "support" },
  { key: "operator", id: 880004, firstName: "Данияр", lastName: "Касымов", languageCode: "ru", role: "operator" },
  { key: "admin", id: 880005, firstName: "Админ", languageCode: "ru", role: "admin" },
];

export const ADMIN = PERSONAS.find((p) => p.role === "admin") as Persona;

/** Registers every persona's private chat with the emulator, so the bot can write to them from the start. */
export function registerPersonas(tg: Emulator): void {
  for (const p of PERSONAS) {
    tg.user({
      id: p.id,
      first_name: p.firstName,
      ...(p.lastName !== undefined ? { last_name: p.lastName } : {}),
      language_code: p.languageCode,
    });
  }
}

/**
 * Makes every persona a known subscriber (a row in users, language not chosen: /start still asks it), so a
 * broadcast reaches all their chats from the first run; then gives support and operator their roles by having the
 * admin persona send `/staff add` to the running bot. A role the database already holds (an earlier run) is left
 * alone, so the audit trail does not grow each start.
 */
export async function setUpPersonas(tg: Emulator, databaseUrl: string, at: string): Promise<void> {
  const database = openDatabase(databaseUrl);
  const missing: Persona[] = [];
  try {
    for (const p of PERSONAS) {
      if (!(await getUser(database.db, p.id))) await touchUser(database.db, p.id, at, p.languageCode);
      if (p.role !== "support" && p.role !== "operator") continue;
      const member = await findStaff(database.db, p.id, []);
      if (member?.role !== p.role) missing.push(p);
    }
  } finally {
    await database.close();
  }
  const admin = tg.user({ id: ADMIN.id });
  for (const p of missing) {
    admin.skip();
    admin.command("/staff", `add ${p.id} ${p.role}`);
    const reply = await admin.nextMessage({ timeout: 20_000 });
    if (!reply.text?.includes(String(p.id)))
      throw new Error(`the bot did not confirm the ${p.role} role: ${reply.text ?? ""}`);
  }
}
