import type { KyselyPlugin } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { conversationKey } from "../../../data/conversation-storage.js";
import { markProcessed } from "../../../data/repositories/processed-updates.js";
import { giveConsent } from "../../../data/repositories/consents.js";
import { readUpdateStart } from "../../../data/repositories/update-start.js";
import { touchUser } from "../../../data/repositories/users.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

/** Counts the statements sent through the returned database. */
function counting(t: TestDatabase) {
  const counter = { statements: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    // Counted by their results: precompiled queries (data/precompiled.ts) skip transformQuery.
    transformResult: async (args) => {
      counter.statements++;
      return args.result;
    },
  };
  return { db: t.db.withPlugin(plugin), counter };
}

describe("the first read of an update", () => {
  it("finds nothing for a first update of a new person, in one statement", async () => {
    opened = await openTestDatabase();
    const { db, counter } = counting(opened);
    const start = await readUpdateStart(db, { updateId: 77, userId: 42, conversationKey: conversationKey(42) });
    expect(start).toEqual({
      processed: false,
      user: undefined,
      consent: undefined,
      draft: undefined,
      conversation: undefined,
      epochs: { settings: 1, directory: 1 },
    });
    expect(counter.statements).toBe(1);
    // No sender, no private chat: the mark alone.
    expect(await readUpdateStart(db, { updateId: 77 })).toMatchObject({ processed: false, user: undefined });
  });

  it("brings the processed mark, the sender's row, their draft and consent, the chat's state and the cache epochs together, in one statement", async () => {
    opened = await openTestDatabase();
    const t = opened.db;
    const user = await touchUser(t, 42, "2026-12-05T10:00:00.000Z", "kk");
    await markProcessed(t, 77, "2026-12-05T10:00:00.000Z");
    await t
      .insertInto("drafts")
      .values({
        user_id: 42,
        data: "sealed-answers",
        revision: 3,
        created_at: "2026-12-05T09:00:00.000Z",
        updated_at: "2026-12-05T09:30:00.000Z",
        token: "tok",
      })
      .execute();
    await t
      .insertInto("conversation_state")
      .values({ key: conversationKey(42), value: "sealed-state" })
      .execute();
    await giveConsent(t, 42, "v-2026", "2026-12-05T09:10:00.000Z");
    // Another person's rows are not picked up.
    await touchUser(t, 43, "2026-12-05T10:00:00.000Z", "ru");
    await giveConsent(t, 43, "v-other", "2026-12-05T09:20:00.000Z");
    await t
      .insertInto("conversation_state")
      .values({ key: conversationKey(43), value: "theirs" })
      .execute();

    const { db, counter } = counting(opened);
    const start = await readUpdateStart(db, { updateId: 77, userId: 42, conversationKey: conversationKey(42) });
    expect(counter.statements).toBe(1);
    expect(start).toEqual({
      processed: true,
      user,
      consent: { user_id: 42, version: "v-2026", given_at: "2026-12-05T09:10:00.000Z" },
      draft: {
        data: "sealed-answers",
        revision: 3,
        created_at: "2026-12-05T09:00:00.000Z",
        updated_at: "2026-12-05T09:30:00.000Z",
        token: "tok",
      },
      conversation: "sealed-state",
      epochs: { settings: 1, directory: 1 },
    });
    expect(await readUpdateStart(db, { updateId: 78, userId: 42 })).toMatchObject({
      processed: false,
      user,
      conversation: undefined,
    });
  });
});
