import { afterEach, describe, expect, it } from "vitest";
import { toggleReminder } from "../../../bot/features/broadcast/reminders.js";
import { policyKey } from "../../../bot/rules-service.js";
import { policyForYear } from "../../../data/datasets/load-rules-data.js";
import { putSetting } from "../../../data/repositories/settings.js";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { addRequest, addUsers, confirmCampaign, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { CAMPAIGN_OPENS } from "../../dates.js";

// The 2026 window 1 Sep – 1 Nov (R7), shipped as provisional: reminders go out only once it is confirmed.
const OPENING = CAMPAIGN_OPENS;

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** A worker as in the bot at `at`: one tick, then until the sender has nothing left (an idle after the tick). */
async function tickAt(x: Setup, at?: string): Promise<void> {
  if (at) x.clock.set(at);
  const idle = idleSignal();
  const worker = startBroadcastWorker(x.deps, x.api, { onIdle: idle.onIdle, tickMs: 3_600_000, idleMs: 20 });
  await worker.tick();
  await idle.next();
  await worker.stop();
}

const texts = (x: Setup, id: number) =>
  x.tg
    .user({ id, first_name: `U${id}` })
    .messages()
    .map((m) => m.text ?? "");

describe("campaign reminders", () => {
  it("opening day: once per person, only subscribers who have not applied this campaign, in their language, with /stop", async () => {
    s = await setup({ now: "2026-09-01T09:00:00+05:00" });
    await confirmCampaign(s);
    await addUsers(s.db, [10, 11, 12, 13], { language: "ru" });
    await addUsers(s.db, [14], { language: "kk" });
    await addUsers(s.db, [15], { subscribed: 0 });
    await addRequest(s.db, 11, { status: "pending", submittedAt: "2026-09-01T03:00:00.000Z" });
    await addRequest(s.db, 12, { status: "rejected", submittedAt: "2026-09-01T03:00:00.000Z" }); // may apply again
    await addRequest(s.db, 13, { status: "approved", submittedAt: "2025-09-10T03:00:00.000Z" }); // last year's
    knownChats(s.tg, [10, 11, 12, 13, 14, 15]);

    await tickAt(s); // 09:00: too early
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
    await tickAt(s, OPENING);
    expect(texts(s, 10)).toHaveLength(1);
    expect(texts(s, 10)[0]).toContain("Началась кампания прикрепления");
    expect(texts(s, 10)[0]).toContain("С 1 сентября по 1 ноября");
    expect(texts(s, 10)[0]).toContain("/stop");
    expect(texts(s, 14)[0]).toContain("Емханаға бекіту науқаны басталды");
    expect(texts(s, 11)).toHaveLength(0);
    expect(texts(s, 12)).toHaveLength(1);
    expect(texts(s, 13)).toHaveLength(1);
    expect(texts(s, 15)).toHaveLength(0);

    // Later the same day, and after a restart: nothing again.
    await tickAt(s, "2026-09-01T18:00:00+05:00");
    await addUsers(s.db, [16]);
    knownChats(s.tg, [16]);
    await tickAt(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(4);
    const rows = await s.db.selectFrom("reminder_sends").selectAll().execute();
    expect(rows).toHaveLength(4);
  });

  it("a week before the end and on the last day; an admin can switch one off, and that is audited", async () => {
    s = await setup({ now: "2026-10-25T11:00:00+05:00" });
    await confirmCampaign(s);
    await addUsers(s.db, [10]);
    knownChats(s.tg, [10]);
    await tickAt(s);
    expect(texts(s, 10)[0]).toContain("осталась неделя");
    expect(texts(s, 10)[0]).toContain("до 1 ноября включительно");
    await toggleReminder(s.deps, "last_day", new Date().toISOString(), 1);
    await tickAt(s, "2026-11-01T12:00:00+05:00");
    expect(texts(s, 10)).toHaveLength(1);
    await toggleReminder(s.deps, "last_day", new Date().toISOString(), 1);
    await tickAt(s);
    expect(texts(s, 10)).toHaveLength(2);
    expect(texts(s, 10)[1]).toContain("последний день");
    // Each switch is in the audit log: who, which reminder, on or off.
    const log = await s.db.selectFrom("audit_log").select(["actor_id", "action", "details"]).orderBy("id").execute();
    expect(log).toEqual([
      { actor_id: 1, action: "reminder_toggle", details: JSON.stringify({ reminder: "last_day", on: false }) },
      { actor_id: 1, action: "reminder_toggle", details: JSON.stringify({ reminder: "last_day", on: true }) },
    ]);
  });

  it("R7 catch-up: down on the opening day, the bot sends the opening reminder the next day, once", async () => {
    s = await setup({ now: "2026-09-02T08:00:00+05:00" });
    await confirmCampaign(s);
    await addUsers(s.db, [10], { language: "kk" });
    knownChats(s.tg, [10]);
    await tickAt(s); // the day after, before 10:00: nobody is woken
    expect(texts(s, 10)).toHaveLength(0);
    await tickAt(s, "2026-09-02T10:05:00+05:00");
    expect(texts(s, 10)).toHaveLength(1);
    expect(texts(s, 10)[0]).toContain("Емханаға бекіту науқаны басталды");
    // Still inside the catch-up days, and after a restart: not again.
    await tickAt(s, "2026-09-03T12:00:00+05:00");
    expect(texts(s, 10)).toHaveLength(1);
  });

  it("R7 catch-up: too late for the opening one, and never the last-day one after the last day", async () => {
    s = await setup({ now: "2026-09-06T12:00:00+05:00" });
    await confirmCampaign(s);
    await addUsers(s.db, [10]);
    knownChats(s.tg, [10]);
    await tickAt(s);
    await tickAt(s, "2026-11-02T12:00:00+05:00");
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
    expect(await s.db.selectFrom("broadcasts").select("id").execute()).toHaveLength(0);
  });

  it("R7: a provisional campaign (the shipped 2026 window) is not announced; once an admin confirms it, the reminder goes out", async () => {
    s = await setup({ now: OPENING });
    await addUsers(s.db, [10]);
    knownChats(s.tg, [10]);
    await tickAt(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
    expect(await s.db.selectFrom("broadcasts").select("id").execute()).toHaveLength(0);
    await confirmCampaign(s);
    await tickAt(s, "2026-09-01T11:00:00+05:00");
    expect(texts(s, 10)).toHaveLength(1);
    expect(texts(s, 10)[0]).toContain("Началась кампания прикрепления");
  });

  it("R7: 2027 as shipped (no campaign announced): nothing on 1 September", async () => {
    s = await setup({ now: "2027-09-01T11:00:00+05:00" });
    await addUsers(s.db, [10]);
    knownChats(s.tg, [10]);
    await tickAt(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
  });

  it("no campaign in the policy (all year): no reminders", async () => {
    s = await setup({ now: "2027-09-01T11:00:00+05:00" });
    await putSetting(s.db, policyKey(2027), { ...policyForYear(2027), campaign: null }, new Date().toISOString(), 1);
    await addUsers(s.db, [10]);
    knownChats(s.tg, [10]);
    await tickAt(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
  });
});
