import type { Api } from "grammy";
import { startDue } from "../../../data/repositories/broadcasts.js";
import type { Deps } from "../../context.js";
import { holdMissedUntilMorning } from "./missed.js";
import { runReminders } from "./reminders.js";

/**
 * One scheduler step: campaign reminders that are due are queued, scheduled broadcasts missed at night wait for the
 * morning, and the scheduled ones due now start. The sender is woken afterwards.
 */
export async function scheduleStep(deps: Deps, api: Api): Promise<void> {
  const at = deps.clock.now();
  const reminders = await runReminders(deps, at);
  if (reminders.length) deps.log.info({ reminders }, "campaign reminders queued");
  const held = await holdMissedUntilMorning(deps, at, (chatId, text) => api.sendMessage(chatId, text));
  if (held.length) deps.log.info({ held }, "missed broadcasts held until the morning");
  await startDue(deps.db, at);
}
