import { InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import type { BaseContext } from "../../../bot/context.js";
import { card } from "../../../bot/features/broadcast/list.js";
import { holdMissedUntilMorning } from "../../../bot/features/broadcast/missed.js";
import {
  createBroadcast,
  finishIfDone,
  markRecipient,
  type CampaignWindow,
} from "../../../data/repositories/broadcasts.js";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { addUsers, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { CAMPAIGN_2026_UTC, IN_CAMPAIGN_UTC } from "../../dates.js";

const WINDOW: CampaignWindow = CAMPAIGN_2026_UTC;
const TEXT = { text: "Проверка", entities: [] };
const AUTHOR = 1;
let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function scheduled(x: Setup, sendAt: string) {
  return createBroadcast(
    x.db,
    {
      createdBy: AUTHOR,
      at: IN_CAMPAIGN_UTC,
      sendAt,
      audience: { kind: "all" },
      ru: TEXT,
      kk: TEXT,
      photoFileId: null,
    },
    WINDOW,
    new Date(IN_CAMPAIGN_UTC),
  );
}

describe("R17: a scheduled broadcast missed while the bot was down does not go out at night", () => {
  it("a daytime one found due at 23:30 Almaty waits for 09:00 and its author is told in their language; a night one the operator confirmed goes", async () => {
    s = await setup({ now: IN_CAMPAIGN_UTC });
    await addUsers(s.db, [AUTHOR], { language: "kk" });
    const day = await scheduled(s, "2026-09-16T04:00:00.000Z"); // 09:00 Almaty on the 16th
    const night = await scheduled(s, "2026-09-16T17:00:00.000Z"); // 22:00 Almaty, confirmed at composing
    const told: [number, string][] = [];
    const at = new Date("2026-09-16T18:30:00.000Z"); // 23:30 Almaty: the bot is back up
    const held = await holdMissedUntilMorning(s.deps, at, async (chatId, text) => void told.push([chatId, text]));
    expect(held).toEqual([day.id]);
    const rows = await s.db.selectFrom("broadcasts").select(["id", "status", "send_at"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: day.id, status: "scheduled", send_at: "2026-09-17T04:00:00.000Z" },
      { id: night.id, status: "scheduled", send_at: "2026-09-16T17:00:00.000Z" },
    ]);
    expect(told).toHaveLength(1);
    expect(told[0]?.[0]).toBe(AUTHOR);
    expect(told[0]?.[1]).toContain("17.09.2026 09:00");
    expect(told[0]?.[1]).toContain("түн");
    const audit = await s.db.selectFrom("audit_log").select(["action", "actor_id"]).execute();
    expect(audit).toEqual([{ action: "broadcast_held", actor_id: 0 }]);
  });

  it("in the daytime nothing is held", async () => {
    s = await setup({ now: IN_CAMPAIGN_UTC });
    await scheduled(s, "2026-09-15T04:00:00.000Z");
    expect(await holdMissedUntilMorning(s.deps, new Date("2026-09-15T06:00:00.000Z"), async () => undefined)).toEqual(
      [],
    );
  });
});

describe("/broadcasts card of a finished broadcast", () => {
  it("says 'finished with errors' when some could not be reached, not a plain ✅ (ru, kk)", async () => {
    s = await setup({ now: IN_CAMPAIGN_UTC });
    await addUsers(s.db, [10, 11]);
    const b = await createBroadcast(
      s.db,
      {
        createdBy: AUTHOR,
        at: IN_CAMPAIGN_UTC,
        sendAt: IN_CAMPAIGN_UTC,
        audience: { kind: "all" },
        ru: TEXT,
        kk: TEXT,
        photoFileId: null,
      },
      WINDOW,
      new Date(IN_CAMPAIGN_UTC),
    );
    const at = "2026-09-15T05:01:00.000Z";
    const rows = await s.db
      .selectFrom("broadcast_recipients")
      .select("id")
      .where("broadcast_id", "=", b.id)
      .orderBy("id")
      .execute();
    await markRecipient(s.db, rows[0]?.id ?? 0, "sent", at);
    await markRecipient(s.db, rows[1]?.id ?? 0, "failed", at, "400 bad request: chat not found");
    await finishIfDone(s.db, b.id, at);
    const done = await s.db.selectFrom("broadcasts").selectAll().where("id", "=", b.id).executeTakeFirstOrThrow();
    for (const locale of ["ru", "kk"] as const) {
      const ctx = { t: s.deps.i18n.t(locale), deps: s.deps, locale } as unknown as BaseContext;
      const text = await card(ctx, done, new InlineKeyboard());
      expect(text).toContain(ctx.t("broadcast.list.status.done_failed"));
      expect(text).not.toContain(ctx.t("broadcast.list.status.done"));
    }
  });
});

describe("R17: a daytime broadcast still going at 21:00 stops for the night", () => {
  it("nothing more goes out after 21:00; it is scheduled for 09:00 with its progress kept, the author told; 09:00 sends the rest", async () => {
    s = await setup({ now: "2026-09-15T15:50:00.000Z" }); // 20:50 Almaty
    await addUsers(s.db, [AUTHOR, 20, 21, 22], { language: "ru" });
    knownChats(s.tg, [AUTHOR, 20, 21, 22]);
    const b = await createBroadcast(
      s.db,
      {
        createdBy: AUTHOR,
        at: "2026-09-15T15:50:00.000Z",
        sendAt: "2026-09-15T15:50:00.000Z",
        audience: { kind: "all" },
        ru: TEXT,
        kk: TEXT,
        photoFileId: null,
      },
      WINDOW,
      new Date("2026-09-15T15:50:00.000Z"),
    );
    s.clock.set("2026-09-15T16:00:00.000Z"); // 21:00 Almaty, before the first message
    const idle = idleSignal();
    const worker = startBroadcastWorker(s.deps, s.api, { onIdle: idle.onIdle });
    await idle.next();
    const row = await s.db
      .selectFrom("broadcasts")
      .select(["status", "send_at"])
      .where("id", "=", b.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "scheduled", send_at: "2026-09-16T04:00:00.000Z" });
    const text = (id: number) =>
      s?.tg
        .calls("sendMessage")
        .filter((c) => Number(c.params["chat_id"]) === id && c.ok)
        .map((c) => String(c.params["text"])) ?? [];
    expect(text(20)).toEqual([]);
    expect(text(AUTHOR).some((t) => t.includes("приостановлена на ночь") && t.includes("16.09.2026 09:00"))).toBe(true);
    // The next morning the rest goes out, once each.
    s.clock.set("2026-09-16T04:00:30.000Z");
    await worker.tick();
    await idle.next();
    await worker.stop();
    for (const id of [20, 21, 22]) expect(text(id).filter((t) => t.startsWith(TEXT.text))).toHaveLength(1);
  });
});
