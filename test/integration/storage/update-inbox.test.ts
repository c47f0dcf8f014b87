import { afterEach, describe, expect, it } from "vitest";
import { markProcessed } from "../../../data/repositories/processed-updates.js";
import { dropKeptUpdate, keepBatch, pruneInbox, unhandledUpdates } from "../../../data/repositories/update-inbox.js";
import { newSecret, Vault } from "../../../data/vault.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const AT = "2026-12-07T10:00:00.000Z";
const SINCE = "2026-12-07T09:50:00.000Z";
const typed = (id: number, text: string) => ({ update_id: id, message: { message_id: id, chat: { id: 5 }, text } });

describe("the update inbox (polling)", () => {
  it("keeps each batch sealed, and gives back the kept updates not marked processed, oldest first", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    await keepBatch(db, vault, [typed(101, "900101300911"), typed(102, "/help")], AT);
    await keepBatch(db, vault, [typed(103, "Айгерим")], AT);
    // The same batch again, a shorter one from the same update on (Telegram resending after a restart, with a smaller
    // limit) and an empty one change nothing.
    await keepBatch(db, vault, [typed(101, "900101300911"), typed(102, "/help")], AT);
    await keepBatch(db, vault, [typed(101, "900101300911")], AT);
    await keepBatch(db, vault, [], AT);
    const rows = await db.selectFrom("update_inbox").selectAll().orderBy("first_id").execute();
    expect(rows.map((r) => [Number(r.first_id), Number(r.last_id), r.size])).toEqual([
      [101, 102, 2],
      [103, 103, 1],
    ]);
    // A typed IIN never lies in the database in clear.
    expect(rows.some((r) => r.batch.includes("900101300911") || r.batch.includes("help"))).toBe(false);

    await markProcessed(db, 102, AT);
    const left = await unhandledUpdates(db, vault, SINCE);
    expect(left).toEqual({ updates: [typed(101, "900101300911"), typed(103, "Айгерим")], unreadable: 0 });
  });

  it("drops a batch left unhandled under another data key, and says how many; a handled one is not even opened", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const before = new Vault(newSecret());
    await keepBatch(db, before, [typed(200, "обработано")], AT);
    await markProcessed(db, 200, AT);
    await keepBatch(db, before, [typed(201, "старый ключ")], AT);
    const vault = new Vault(newSecret());
    await keepBatch(db, vault, [typed(202, "новый")], AT);
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({ updates: [typed(202, "новый")], unreadable: 1 });
    expect(
      (await db.selectFrom("update_inbox").select("first_id").orderBy("first_id").execute()).map((r) =>
        Number(r.first_id),
      ),
    ).toEqual([200, 202]);
  });

  it("keeps the longer batch when Telegram resends an unconfirmed one with what came since, and gives up on old ones", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    await keepBatch(db, vault, [typed(401, "a")], AT);
    await keepBatch(db, vault, [typed(401, "a"), typed(402, "b"), typed(403, "c")], AT);
    await markProcessed(db, 401, AT);
    await keepBatch(db, vault, [typed(399, "давно")], "2026-12-07T09:00:00.000Z");
    // 399 was kept before the cut-off: it is not tried again (its mark, if any, may be pruned by now).
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({
      updates: [typed(402, "b"), typed(403, "c")],
      unreadable: 0,
    });
    const [row] = await db.selectFrom("update_inbox").selectAll().where("first_id", "=", 401).execute();
    expect([Number(row?.last_id), row?.size]).toEqual([403, 3]);
  });

  it("keeps a getUpdates answer whole, as Telegram sent it, and reads its updates back like any batch", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    const updates = [typed(601, "900101300911"), typed(602, "Әсел")];
    const body = Buffer.from(JSON.stringify({ ok: true, result: updates }));
    await keepBatch(db, vault, updates, AT, body);
    const rows = await db.selectFrom("update_inbox").selectAll().execute();
    expect(rows.map((r) => [Number(r.first_id), Number(r.last_id), r.size])).toEqual([[601, 602, 2]]);
    expect(rows[0]?.batch.includes("900101300911")).toBe(false);
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({ updates, unreadable: 0 });
    // A failed update is taken out of such a batch too.
    await dropKeptUpdate(db, vault, 601);
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({ updates: [typed(602, "Әсел")], unreadable: 0 });
  });

  it("keeps a batch compressed, and still reads the batches kept whole before", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    // Pressed buttons bring their message back: a batch repeats itself.
    const pressed = (id: number) => ({
      update_id: id,
      callback_query: {
        id: `cb${id}`,
        data: "a:region:almaty",
        message: { text: "4-қадам. Қай жерде тұрасыз?".repeat(20) },
      },
    });
    const updates = Array.from({ length: 30 }, (_, i) => pressed(700 + i));
    const body = Buffer.from(JSON.stringify({ ok: true, result: updates }));
    await keepBatch(db, vault, updates, AT, body);
    const [row] = await db.selectFrom("update_inbox").selectAll().execute();
    const kept = vault.openBytes(row?.batch ?? "", "updates");
    expect(kept.length).toBeLessThan(body.length / 10);
    // Kept whole by an earlier version: the updates alone, or the answer as Telegram sent it.
    const whole = async (first: number, value: unknown) => {
      const ids = (Array.isArray(value) ? value : (value as { result: { update_id: number }[] }).result).map(
        (u: { update_id: number }) => u.update_id,
      );
      await db
        .insertInto("update_inbox")
        .values({
          first_id: first,
          last_id: Math.max(...ids),
          size: ids.length,
          received_at: AT,
          batch: vault.seal(JSON.stringify(value), "updates"),
        })
        .execute();
    };
    await whole(800, [typed(800, "бұрын")]);
    await whole(801, { ok: true, result: [typed(801, "бұрынғы")] });
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({
      updates: [...updates, typed(800, "бұрын"), typed(801, "бұрынғы")],
      unreadable: 0,
    });
  });

  it("takes a failed update out of its batch: not replayed, and the batch done with the others", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    await keepBatch(db, vault, [typed(501, "a"), typed(502, "b"), typed(503, "c")], AT);
    await keepBatch(db, vault, [typed(504, "d")], AT);
    await dropKeptUpdate(db, vault, 502);
    await dropKeptUpdate(db, vault, 504);
    await dropKeptUpdate(db, vault, 999); // never kept: nothing to do
    expect(await unhandledUpdates(db, vault, SINCE)).toEqual({
      updates: [typed(501, "a"), typed(503, "c")],
      unreadable: 0,
    });
    await markProcessed(db, 501, AT);
    await markProcessed(db, 503, AT);
    expect(await pruneInbox(db, SINCE)).toBe(1);
    expect(await db.selectFrom("update_inbox").selectAll().execute()).toEqual([]);
  });

  it("prunes a batch once all of its updates are marked processed, and any batch older than the cut-off", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const vault = new Vault(newSecret());
    await keepBatch(db, vault, [typed(301, "a"), typed(303, "b")], AT); // ids need not be consecutive
    await keepBatch(db, vault, [typed(304, "c")], AT);
    await keepBatch(db, vault, [typed(305, "d")], "2026-12-07T09:00:00.000Z");
    await markProcessed(db, 301, AT);
    await markProcessed(db, 304, AT);
    const firstIds = async () =>
      (await db.selectFrom("update_inbox").select("first_id").orderBy("first_id").execute()).map((r) =>
        Number(r.first_id),
      );
    // 301–303 still holds an update in hand; 305 is older than the cut-off (it failed and is not tried again).
    expect(await pruneInbox(db, "2026-12-07T09:50:00.000Z")).toBe(2);
    expect(await firstIds()).toEqual([301]);
    await markProcessed(db, 303, AT);
    expect(await pruneInbox(db, "2026-12-07T09:50:00.000Z")).toBe(1);
    expect(await firstIds()).toEqual([]);
  });
});
