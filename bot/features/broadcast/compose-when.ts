import { InlineKeyboard } from "grammy";
import type { BaseContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { ask, navigate, navOf, navRow, nightCb, pick, type Step } from "./compose-ask.js";
import { previousStep } from "./compose-draft.js";
import { finish } from "./compose-send.js";
import { isQuietHour, nextMorning, QUIET_HOURS } from "./quiet-hours.js";
import { parseWhen } from "./when.js";

// Scheduling: the time asked for, and a warning for a send at night (now or later) that the operator confirms.

/** The time to send. Any answer that is not a time to come gets a short reason and the question again. */
export const whenStep: Step = async (conversation, ctx, draft) => {
  const nowIso = await conversation.external((o) => o.deps.clock.now().toISOString());
  const inAnHour = new Date(Date.parse(nowIso) + 3600_000).toISOString();
  const example = formatInstant(isQuietHour(inAnHour) ? nextMorning(inAnHour) : inAnHour);
  let c: BaseContext = ctx;
  let lead: string | undefined;
  // Loops only on an accepted but past time (rejected input never enters the replay log).
  for (;;) {
    const question = c.t("broadcast.compose.ask_when", { example, ...QUIET_HOURS });
    const a = await ask(conversation, c, {
      text: question,
      ...(lead ? { lead } : {}),
      keyboard: navRow(new InlineKeyboard(), c, "when", true),
      accept: (x) => (x.message?.text ? parseWhen(x.message.text) : null) ?? navOf(x, "when", ["back"]),
      hint: (x) => x.t("broadcast.compose.bad_when"),
      repeat: true,
    });
    if (a.value === "back" || a.value === "cancel") return navigate(a.value, a.ctx, draft, previousStep(draft, "when"));
    const sendAt = a.value;
    const future = await conversation.external((o) => sendAt > o.deps.clock.now().toISOString());
    if (!future) {
      c = a.ctx;
      lead = c.t("broadcast.compose.past_when");
      continue;
    }
    if (isQuietHour(sendAt)) return { ctx: a.ctx, draft: { ...draft, step: "night", sendAt } };
    return finish(conversation, a.ctx, draft, sendAt);
  }
};

/** A send at night (now, or at the time chosen): move it to the morning, send anyway, or go back. */
export const nightStep: Step = async (conversation, ctx, draft) => {
  const sendAt = draft.sendAt ?? null;
  const nowIso = await conversation.external((o) => o.deps.clock.now().toISOString());
  const at = sendAt ?? nowIso;
  // Resumed after the night is over: nothing to warn about, the summary asks again.
  if (!isQuietHour(at)) return { ctx, draft: { ...draft, step: sendAt ? "when" : "summary" } };
  const morning = nextMorning(at);
  const kb = new InlineKeyboard()
    .text(ctx.t("broadcast.compose.night_morning", { when: formatInstant(morning) }), nightCb.data("morning"))
    .row()
    .text(
      ctx.t(sendAt ? "broadcast.compose.night_anyway_later" : "broadcast.compose.night_anyway_now", {
        when: formatInstant(at),
      }),
      nightCb.data("anyway"),
    );
  const text = ctx.t(sendAt ? "broadcast.compose.night_later" : "broadcast.compose.night_now", {
    when: formatInstant(at),
    ...QUIET_HOURS,
  });
  const a = await ask(conversation, ctx, {
    text,
    keyboard: navRow(kb, ctx, "night", true),
    accept: (c) => pick(nightCb)(c)?.[0] ?? navOf(c, "night", ["back"]),
    hint: (c) => c.t("broadcast.compose.pick_button"),
    repeat: true,
  });
  if (a.value === "back" || a.value === "cancel") return navigate(a.value, a.ctx, draft, previousStep(draft, "night"));
  const chosen = a.value === "morning" ? morning : sendAt;
  if (chosen === null) return finish(conversation, a.ctx, draft, null);
  // The answer may come long after the question: a time gone by is asked again.
  const future = await conversation.external((o) => chosen > o.deps.clock.now().toISOString());
  if (!future) {
    await a.ctx.reply(a.ctx.t("broadcast.compose.past_when"));
    return { ctx: a.ctx, draft: { ...draft, step: "when" } };
  }
  return finish(conversation, a.ctx, draft, chosen);
};
