import { describe, expect, it } from "vitest";
import { parseWhen } from "../../../bot/features/broadcast/compose.js";
import { campaignWindow, dueReminders, reminderDays } from "../../../bot/features/broadcast/reminders.js";
import { policyForYear } from "../../../data/datasets/load-rules-data.js";

const shipped2026 = policyForYear(2026); // a provisional campaign 09-01 … 11-01
/** The same window, confirmed: reminders are only ever for a confirmed campaign (R7). */
const policy = { ...shipped2026, status: "confirmed" as const };
const ON = { opening: true, week_before: true, last_day: true };

describe("campaign reminder days", () => {
  it("R7: a provisional campaign (the shipped 2026 window) gets no reminder; the same window confirmed does", () => {
    expect(shipped2026.status).toBe("provisional");
    expect(dueReminders(shipped2026, new Date("2026-09-01T10:00:00+05:00"), ON)).toEqual([]);
    expect(dueReminders(shipped2026, new Date("2026-10-25T10:00:00+05:00"), ON)).toEqual([]);
    expect(dueReminders(policy, new Date("2026-09-01T10:00:00+05:00"), ON)).toEqual([{ kind: "opening", year: 2026 }]);
    // 2027: no campaign is announced, so nothing on 1 September.
    expect(dueReminders(policyForYear(2027), new Date("2027-09-01T10:00:00+05:00"), ON)).toEqual([]);
  });

  it("opening, a week before the end, the last day; none without a campaign", () => {
    expect(reminderDays(policy, 2026)).toEqual({
      opening: "2026-09-01",
      week_before: "2026-10-25",
      last_day: "2026-11-01",
    });
    expect(reminderDays({ ...policy, campaign: null }, 2026)).toEqual({});
  });

  it("a window shorter than a week has no 'week before'", () => {
    const short = {
      ...policy,
      campaign: policy.campaign ? { ...policy.campaign, start: "10-28", end: "11-01" } : null,
    };
    expect(reminderDays(short, 2026)).toEqual({ opening: "2026-10-28", last_day: "2026-11-01" });
  });

  it("due from 10:00 Almaty on its day, if switched on, and not at night (from 21:00)", () => {
    expect(dueReminders(policy, new Date("2026-09-01T09:59:00+05:00"), ON)).toEqual([]);
    expect(dueReminders(policy, new Date("2026-09-01T20:59:00+05:00"), ON)).toEqual([{ kind: "opening", year: 2026 }]);
    expect(dueReminders(policy, new Date("2026-09-01T21:00:00+05:00"), ON)).toEqual([]);
    // The last day's reminder, missed until the night, is not sent at all (there is no later day for it).
    expect(dueReminders(policy, new Date("2026-11-01T22:00:00+05:00"), ON)).toEqual([]);
    expect(dueReminders(policy, new Date("2026-09-01T10:00:00+05:00"), ON)).toEqual([{ kind: "opening", year: 2026 }]);
    expect(dueReminders(policy, new Date("2026-09-01T10:00:00+05:00"), { ...ON, opening: false })).toEqual([]);
  });

  it("R7 catch-up: a reminder missed while the bot was down goes out later only while it is still true", () => {
    const at = (iso: string) => dueReminders(policy, new Date(iso), ON);
    // Opening (1 Sep): up to three days late, from 10:00.
    expect(at("2026-09-02T09:59:00+05:00")).toEqual([]);
    expect(at("2026-09-02T10:00:00+05:00")).toEqual([{ kind: "opening", year: 2026 }]);
    expect(at("2026-09-04T20:59:00+05:00")).toEqual([{ kind: "opening", year: 2026 }]);
    expect(at("2026-09-05T10:00:00+05:00")).toEqual([]);
    // "A week left" (25 Oct): one day late at most.
    expect(at("2026-10-26T12:00:00+05:00")).toEqual([{ kind: "week_before", year: 2026 }]);
    expect(at("2026-10-27T12:00:00+05:00")).toEqual([]);
    // "Today is the last day" (1 Nov): never after it.
    expect(at("2026-11-01T12:00:00+05:00")).toEqual([{ kind: "last_day", year: 2026 }]);
    expect(at("2026-11-02T12:00:00+05:00")).toEqual([]);
    // Switched off: no catch-up either.
    expect(dueReminders(policy, new Date("2026-09-02T10:00:00+05:00"), { ...ON, opening: false })).toEqual([]);
  });

  it("R7 catch-up: a later reminder's day supersedes an earlier one still in its catch-up days", () => {
    const short = {
      ...policy,
      campaign: policy.campaign ? { ...policy.campaign, start: "10-20", end: "10-28" } : null,
    };
    // Opening 20 Oct, a week before the end 21 Oct: on the 21st only the newer one.
    expect(dueReminders(short, new Date("2026-10-21T11:00:00+05:00"), ON)).toEqual([
      { kind: "week_before", year: 2026 },
    ]);
    expect(dueReminders(short, new Date("2026-10-20T11:00:00+05:00"), ON)).toEqual([{ kind: "opening", year: 2026 }]);
  });

  it("this campaign's requests: Almaty days of the window, end inclusive", () => {
    expect(campaignWindow(policy, new Date("2026-09-15T10:00:00+05:00"))).toEqual({
      from: "2026-08-31T19:00:00.000Z",
      to: "2026-11-01T19:00:00.000Z",
    });
    expect(campaignWindow({ ...policy, campaign: null }, new Date("2026-03-15T10:00:00+05:00"))).toEqual({
      from: "2025-12-31T19:00:00.000Z",
      to: "2026-12-31T19:00:00.000Z",
    });
  });
});

describe("scheduled time (Almaty, UTC+5)", () => {
  it("parses DD.MM.YYYY HH:MM", () => {
    expect(parseWhen("20.09.2026 09:30")).toBe("2026-09-20T04:30:00.000Z");
    expect(parseWhen(" 01.01.2027 0:05 ")).toBe("2026-12-31T19:05:00.000Z");
  });
  it("rejects impossible dates and other shapes", () => {
    expect(parseWhen("31.02.2026 10:00")).toBeNull();
    expect(parseWhen("2026-09-20 10:00")).toBeNull();
    expect(parseWhen("20.09.2026 25:00")).toBeNull();
  });
});
