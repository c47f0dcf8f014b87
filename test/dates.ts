// The moments tests start the bot's clock at, named for what they mean under the shipped 2026 policy
// (data/datasets/policy/2026.json: campaign 1 September – 1 November, R7). Almaty time (UTC+5) unless the name says UTC.

/** Tuesday 15 September 2026, 10:00: inside the campaign; personal choice is open and takes effect 1 January 2027. */
export const IN_CAMPAIGN = "2026-09-15T10:00:00+05:00";

/** The same instant as the database stores it (UTC ISO). */
export const IN_CAMPAIGN_UTC = "2026-09-15T05:00:00.000Z";

/** Its day, for code that takes "today" as a date. */
export const IN_CAMPAIGN_DAY = "2026-09-15";

/** The same day at 11:00: broadcasting hours (09:00–21:00), and no campaign reminder is due that day. */
export const IN_CAMPAIGN_DAYTIME = "2026-09-15T11:00:00+05:00";

/** The same day at 23:30: night, when a broadcast waits for 09:00. */
export const IN_CAMPAIGN_NIGHT = "2026-09-15T23:30:00+05:00";

/** Friday 18 September 2026, 10:00: three days after IN_CAMPAIGN, so a flow left open then has been idle over a day. */
export const THREE_DAYS_LATER = "2026-09-18T10:00:00+05:00";

/** Tuesday 1 September 2026, 10:30: the campaign's first day, when the opening reminder is due. */
export const CAMPAIGN_OPENS = "2026-09-01T10:30:00+05:00";

/** Monday 23 November 2026, 11:00: after the campaign; personal choice only within the yearly quota (R8, R9). */
export const AFTER_CAMPAIGN = "2026-11-23T11:00:00+05:00";

/** Wednesday 15 April 2026, 10:00: spring, the campaign is ahead; an attachment takes effect on the decision. */
export const BEFORE_CAMPAIGN = "2026-04-15T10:00:00+05:00";

/** The 2026 campaign window in UTC, as broadcasts' audiences count it: 1 September 00:00 to 2 November 00:00 Almaty. */
export const CAMPAIGN_2026_UTC = { from: "2026-08-31T19:00:00.000Z", to: "2026-11-01T19:00:00.000Z" } as const;
