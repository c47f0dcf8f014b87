import { afterEach, describe, expect, it } from "vitest";
import { holdMissedUntilMorning } from "../../../bot/features/broadcast/missed.js";
import { createBroadcast, type CampaignWindow } from "../../../data/repositories/broadcasts.js";
import { addUsers, setup, type Setup } from "./helpers.js";

const WINDOW: CampaignWindow = { from: "2026-08-31T19:00:00.000Z", to: "2026-11-01T19:00:00.000Z" };
const TEXT = { text: "Проверка", entities: [] };
const AUTHOR = 1;
let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function scheduled(x: Setup, sendAt: string) {
  return createBroadcast(x.db, { createdBy: AUTHOR, at: "2026-09-15T05:00:00.000Z", sendAt, audience: { kind: "all" }, ru: TEXT, kk: TEXT, photoFileId: null }, WINDOW, new Date("2026-09-15T05:00:00.000Z"));
}

describe("R17: a scheduled broadcast missed while the bot was down does not go out at night", () => {
  it("a daytime one found due at 23:30 Almaty waits for 09:00 and its author is told in their language; a night one the operator confirmed goes", async () => {
    s = await setup({ now: "2026-09-15T05:00:00.000Z" });
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
    s = await setup({ now: "2026-09-15T05:00:00.000Z" });
    await scheduled(s, "2026-09-15T04:00:00.000Z");
    expect(await holdMissedUntilMorning(s.deps, new Date("2026-09-15T06:00:00.000Z"), async () => undefined)).toEqual([]);
  });
});
