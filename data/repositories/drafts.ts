import { randomUUID } from "node:crypto";
import { sql, type Selectable } from "kysely";
import type { Db, Store } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { DraftsTable } from "../schema/requests.js";
import { isSealed } from "../vault.js";

export interface DraftRow {
  data: unknown;
  revision: number;
  updatedAt: string;
  /**
   * This draft's submission key: the same for every retry of one submission (a replay, a crash before the draft
   * was deleted), different for the person's next draft. A draft from before migration 0009 that was not saved
   * since is known by its creation instant instead.
   */
  submissionKey: string;
}

// The draft's answers are sealed as a whole (the IIN, document references): a row from before sealing (the start-up
// step seals those) still reads.

/** A draft row as stored, its answers opened (null when they cannot be: the row still counts for its revision). */
interface Raw {
  text: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  token: string | null;
}

const unitKey = (userId: number) => `draft:${userId}`;

type StoredDraft = Omit<Selectable<DraftsTable>, "user_id">;

function rawOf(store: Store, row: StoredDraft | undefined): Raw | null {
  if (!row) return null;
  let text: string | null;
  try {
    text = isSealed(row.data) ? store.vault.open(row.data, "draft") : row.data;
  } catch {
    text = null;
  }
  return { text, revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at, token: row.token };
}

async function readRaw(store: Store, userId: number): Promise<Raw | null> {
  const { uow } = store;
  if (uow?.open && uow.has(unitKey(userId))) return uow.get<Raw | null>(unitKey(userId)) ?? null;
  const row = await store.db.selectFrom("drafts").selectAll().where("user_id", "=", userId).executeTakeFirst();
  const raw = rawOf(store, row);
  if (uow?.open) uow.remember(unitKey(userId), raw);
  return raw;
}

/** The update's unit starts with the person's draft as read with the update's other first reads. */
export function primeDraft(store: Store, userId: number, row: StoredDraft | undefined): void {
  if (store.uow?.open && !store.uow.has(unitKey(userId))) store.uow.remember(unitKey(userId), rawOf(store, row));
}

function rowOf(userId: number, raw: Raw | null): DraftRow | undefined {
  if (!raw || raw.text === null) return undefined;
  try {
    return {
      data: JSON.parse(raw.text) as unknown,
      revision: raw.revision,
      updatedAt: raw.updatedAt,
      submissionKey: `${userId}:${raw.token ?? raw.createdAt}:${raw.revision}`,
    };
  } catch {
    return undefined;
  }
}

/** Inside an update, the draft is read once and the answers are written with the update's other writes. */
export async function loadDraft(store: Store, userId: number): Promise<DraftRow | undefined> {
  return rowOf(userId, await readRaw(store, userId));
}

/** Stages the row as the unit holds it at commit: the last save or delete of the update wins. */
function stageRow(store: Store, userId: number): void {
  store.uow?.stage(unitKey(userId), async (trx) => {
    const raw = store.uow?.get<Raw | null>(unitKey(userId));
    if (!raw) return deleteDraft(trx, userId);
    await storeRow(trx, {
      userId,
      data: store.vault.seal(raw.text ?? "null", "draft"),
      revision: raw.revision,
      createdAt: raw.createdAt,
      updatedAt: raw.updatedAt,
      token: raw.token ?? randomUUID(),
    });
  });
}

/** The row as an update leaves it: written at most once by every answered step, so compiled once. */
const storeRow = precompiled(
  { userId: "number", data: "string", revision: "number", createdAt: "string", updatedAt: "string", token: "string" },
  (
    db: Db,
    r: { userId: number; data: string; revision: number; createdAt: string; updatedAt: string; token: string },
  ) =>
    db
      .insertInto("drafts")
      .values({
        user_id: r.userId,
        data: r.data,
        revision: r.revision,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        token: r.token,
      })
      .onConflict((oc) =>
        oc.column("user_id").doUpdateSet({
          data: r.data,
          updated_at: r.updatedAt,
          revision: r.revision,
          token: sql<string>`coalesce(drafts.token, excluded.token)`,
        }),
      ),
);

/** Saves the answers so far; returns the new revision. */
export async function saveDraft(store: Store, userId: number, data: unknown, at: string): Promise<number> {
  if (store.uow?.open) {
    const cur = await readRaw(store, userId);
    const raw: Raw = {
      text: JSON.stringify(data),
      revision: (cur?.revision ?? 0) + 1,
      createdAt: cur?.createdAt ?? at,
      updatedAt: at,
      token: cur?.token ?? randomUUID(),
    };
    store.uow.remember(unitKey(userId), raw);
    stageRow(store, userId);
    return raw.revision;
  }
  const text = store.vault.seal(JSON.stringify(data), "draft");
  const row = await store.db
    .insertInto("drafts")
    .values({ user_id: userId, data: text, revision: 1, created_at: at, updated_at: at, token: randomUUID() })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet((eb) => ({
        data: text,
        updated_at: at,
        revision: eb("drafts.revision", "+", 1),
        token: sql<string>`coalesce(drafts.token, excluded.token)`,
      })),
    )
    .returning("revision")
    .executeTakeFirstOrThrow();
  return row.revision;
}

/** Removes the draft: with the update's other writes when one is running (a store), at once given a bare db. */
export async function deleteDraft(target: Db | Store, userId: number): Promise<void> {
  if ("vault" in target && target.uow?.open) {
    target.uow.remember(unitKey(userId), null);
    stageRow(target, userId);
    return;
  }
  const db = "vault" in target ? target.db : target;
  await draftDeleted(db, { userId });
}

// Once per submitted application, inside its update's commit: compiled once.
const draftDeleted = precompiled({ userId: "number" }, (db: Db, v: { userId: number }) =>
  db.deleteFrom("drafts").where("user_id", "=", v.userId),
);
