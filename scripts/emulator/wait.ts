// Event-driven waiting: a condition is checked now and after every relevant emulator event, never by
// polling on a timer. The only timer is the deadline, whose error says what the chat actually got.
import type { State } from "./state.js";
import type { EmulatorEvents, StoredMessage } from "./types.js";
import { inlineButtons } from "./markup.js";

export interface WaitOptions {
  /** Milliseconds before rejecting (default: the emulator's defaultTimeoutMs). */
  timeout?: number;
}

export function waitUntil<T>(
  state: State,
  check: () => T | undefined,
  opts: { timeoutMs: number; what: string; describe: () => string; events?: Array<keyof EmulatorEvents> },
): Promise<T> {
  const first = check();
  if (first !== undefined) return Promise.resolve(first);
  const events = opts.events ?? ["message", "edit", "delete", "call", "callbackAnswer"];
  return new Promise<T>((resolve, reject) => {
    const onEvent = () => {
      const v = check();
      if (v === undefined) return;
      cleanup();
      resolve(v);
    };
    const cleanup = () => {
      clearTimeout(timer);
      for (const e of events) state.events.off(e, onEvent);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${opts.what} timed out after ${opts.timeoutMs} ms.\n${opts.describe()}`));
    }, opts.timeoutMs);
    for (const e of events) state.events.on(e, onEvent);
  });
}

/** One line per message: id, text or media kind, buttons, edit/delete marks. */
export function summarize(m: StoredMessage): string {
  const body = m.text ?? (m.caption !== undefined ? `[caption] ${m.caption}` : "");
  const kind = m.photo
    ? "[photo] "
    : m.document
      ? `[document ${m.document.file_name ?? ""}] `
      : m.location
        ? "[location] "
        : m.sticker
          ? "[sticker] "
          : m.contact
            ? "[contact] "
            : "";
  const buttons = inlineButtons(m).map((b) => b.text);
  const rm = m.reply_markup;
  const keyboard = rm && "keyboard" in rm ? rm.keyboard.flat().map((b) => (typeof b === "string" ? b : b.text)) : [];
  const short = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return [
    `#${m.message_id}${m.deleted ? " (deleted)" : ""}${m.edits.length ? ` (edited ×${m.edits.length})` : ""}: ${kind}${JSON.stringify(short)}`,
    buttons.length ? ` inline[${buttons.join(" | ")}]` : "",
    keyboard.length ? ` keyboard[${keyboard.join(" | ")}]` : "",
  ].join("");
}

/** Debug text for timeouts: the chat's last bot messages and the last API calls that touched it. */
export function describeChat(state: State, chatId: number): string {
  const msgs = state.botMessages(chatId).slice(-5);
  const calls = state.calls
    .filter((c) => String(c.params["chat_id"] ?? "") === String(chatId) || c.method === "answerCallbackQuery")
    .slice(-5)
    .map((c) => `  ${c.method} → ${c.ok ? "ok" : `${c.error?.error_code ?? ""} ${c.error?.description ?? ""}`}`);
  return [
    `Chat ${chatId} last received (${state.botMessages(chatId).length} bot messages in total):`,
    ...(msgs.length ? msgs.map((m) => `  ${summarize(m)}`) : ["  (nothing)"]),
    `Recent API calls for this chat:`,
    ...(calls.length ? calls : ["  (none)"]),
  ].join("\n");
}
