import { sql } from "kysely";
import type { Db } from "./db.js";
import { notStartingWith } from "./dialect.js";
import { KeyStateError, resealRows, scrubFreedPages, setVaultState, vaultState, type ResealCounts } from "./protect.js";
import { Vault } from "./vault.js";

/**
 * A key rotation: every sealed value opened with the old key and sealed with the new one, every IIN index computed
 * anew. The database records the rotation first (the bot refuses to start meanwhile), each batch commits on its own
 * and a value sealed with the new key is done, so a rotation stopped anywhere is finished by running it again.
 */

interface Rotation {
  from: string;
  to: string;
}

function parseRotation(text: string | undefined): Rotation | undefined {
  if (text === undefined) return undefined;
  const r = JSON.parse(text) as Partial<Rotation>;
  if (typeof r.from !== "string" || typeof r.to !== "string")
    throw new KeyStateError("vault_state.rotation is damaged");
  return { from: r.from, to: r.to };
}

/** Values not yet sealed with the key `keyId` (the rows a rotation to it still has to do). */
export async function valuesNotUnder(db: Db, keyId: string): Promise<number> {
  const prefix = `s1:${keyId}:`;
  const count = (table: "requests" | "attachments" | "drafts" | "conversation_state", column: string) =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(notStartingWith(db, column, prefix))
      .$if(table === "requests", (q) => q.where(sql<boolean>`iin_sealed != ''`))
      .executeTakeFirstOrThrow();
  const counts = await Promise.all([
    count("requests", "iin_sealed"),
    count("attachments", "iin_sealed"),
    count("drafts", "data"),
    count("conversation_state", "value"),
  ]);
  return counts.reduce((sum, r) => sum + Number(r.n), 0);
}

export type RotationStart =
  /** The database is already sealed with the new key and no rotation is open: nothing to do. */
  { kind: "done" } | { kind: "started"; from: string; to: string } | { kind: "resumed"; from: string; to: string };

/** Checks the keys against the database and records the rotation (or finds the one in progress). */
export async function beginRotation(db: Db, oldSecret: Buffer, newSecret: Buffer): Promise<RotationStart> {
  const from = new Vault(oldSecret).keyId;
  const to = new Vault(newSecret).keyId;
  if (from === to) throw new KeyStateError("the new key is the current key");
  const rotation = parseRotation(await vaultState(db, "rotation"));
  if (rotation) {
    if (rotation.to !== to)
      throw new KeyStateError(
        `a rotation to key ${rotation.to} was interrupted: run again with that key as the new key (not ${to})`,
      );
    if (rotation.from !== from)
      throw new KeyStateError(`a rotation from key ${rotation.from} was interrupted: the old key given is ${from}`);
    return { kind: "resumed", from, to };
  }
  const current = await vaultState(db, "key_id");
  if (current === to) return { kind: "done" };
  if (current !== undefined && current !== from)
    throw new KeyStateError(`the database is sealed with key ${current}, not with the old key given (${from})`);
  await setVaultState(db, "rotation", JSON.stringify({ from, to }));
  return { kind: "started", from, to };
}

/** Re-seals every value under the new key (the old one opens what is left), batch by batch. */
export function resealUnderNewKey(
  db: Db,
  oldSecret: Buffer,
  newSecret: Buffer,
  opts: { batch?: number; onBatch?: (counts: ResealCounts) => void } = {},
): Promise<ResealCounts> {
  const vault = new Vault(newSecret, [oldSecret]);
  return resealRows({ db, vault }, { done: `s1:${vault.keyId}:`, ...opts });
}

/**
 * Closes the rotation once nothing is left under another key: the database is the new key's from now on. Old
 * ciphertexts in freed pages are scrubbed (a rotation often follows a leaked key).
 */
export async function finishRotation(db: Db, newKeyId: string): Promise<void> {
  const left = await valuesNotUnder(db, newKeyId);
  if (left > 0) throw new KeyStateError(`${left} values are still sealed with the old key: run the rotation again`);
  await db.transaction().execute(async (trx) => {
    await setVaultState(trx, "key_id", newKeyId);
    await setVaultState(trx, "rotation", null);
  });
  await scrubFreedPages(db);
}

/** The rotation in progress, if any (the script resumes one whose old key is no longer at hand). */
export async function openRotation(db: Db): Promise<Rotation | undefined> {
  return parseRotation(await vaultState(db, "rotation"));
}
