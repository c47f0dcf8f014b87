import { audit } from "../../../data/repositories/audit.js";
import { dueScheduled, holdSending, reschedule, type BroadcastRow } from "../../../data/repositories/broadcasts.js";
import { getUser } from "../../../data/repositories/users.js";
import type { Deps } from "../../context.js";
import { formatInstant } from "../../format.js";
import { userLocale } from "../../i18n.js";
import { isQuietHour, nextMorning } from "./quiet-hours.js";

type Tell = (chatId: number, text: string) => Promise<unknown>;

/** The broadcast's author, in their language (ids only in the log if it cannot be delivered). */
async function tellAuthor(
  deps: Pick<Deps, "db" | "i18n" | "log">,
  b: BroadcastRow,
  tell: Tell,
  key: string,
  vars: Record<string, string | number>,
): Promise<void> {
  if (b.created_by === null) return;
  const author = await getUser(deps.db, b.created_by);
  const t = deps.i18n.t(userLocale(author));
  await tell(b.created_by, t(key, vars)).catch((e: unknown) =>
    deps.log.warn({ broadcast: b.id, error: e instanceof Error ? e.name : "unknown" }, "could not tell the author"),
  );
}

/**
 * A broadcast scheduled for the day whose time passed while the bot was down must not go out at night: it waits
 * for the next 09:00 Almaty, and its author is told (audited). One the operator scheduled at night on purpose
 * (they confirmed the warning) goes as planned.
 */
export async function holdMissedUntilMorning(
  deps: Pick<Deps, "db" | "i18n" | "log">,
  at: Date,
  tell: Tell,
): Promise<number[]> {
  const now = at.toISOString();
  if (!isQuietHour(now)) return [];
  const held: number[] = [];
  for (const b of await dueScheduled(deps.db, at)) {
    if (isQuietHour(b.send_at)) continue;
    const morning = nextMorning(now);
    await reschedule(deps.db, b.id, morning);
    // Actor 0: the bot itself.
    await audit(
      deps.db,
      { actorId: 0, action: "broadcast_held", details: { broadcast: b.id, from: b.send_at, to: morning } },
      now,
    );
    held.push(b.id);
    await tellAuthor(deps, b, tell, "broadcast.list.held", {
      id: b.id,
      planned: formatInstant(b.send_at),
      when: formatInstant(morning),
    });
  }
  return held;
}

/**
 * A daytime broadcast still going at 21:00 (a long one, or one started late) stops for the night and goes on at 09:00
 * with the people it has not reached yet; its author is told. One the operator confirmed for the night goes on.
 */
export async function holdForTheNight(
  deps: Pick<Deps, "db" | "i18n" | "log">,
  b: BroadcastRow,
  at: Date,
  tell: Tell,
): Promise<boolean> {
  const now = at.toISOString();
  if (!isQuietHour(now) || isQuietHour(b.send_at)) return false;
  const morning = nextMorning(now);
  if (!(await holdSending(deps.db, b.id, morning))) return false;
  // Actor 0: the bot itself.
  await audit(
    deps.db,
    { actorId: 0, action: "broadcast_night_pause", details: { broadcast: b.id, until: morning } },
    now,
  );
  await tellAuthor(deps, b, tell, "broadcast.list.night_pause", { id: b.id, when: formatInstant(morning) });
  return true;
}
