import type { MessageEntity } from "grammy/types";
import type { ScriptedUser } from "../emulator/index.js";
import { L, tap, until } from "./flow.js";

export interface Composition {
  ru: string;
  kk: string;
  ruEntities?: MessageEntity[];
  /** An audience button (default: all subscribers) and, for "by language", the language button. */
  audience?: string;
  language?: string;
}

/** A Russian-speaking operator composes a broadcast through /broadcast up to its summary; the summary's text. */
export async function composeBroadcast(op: ScriptedUser, c: Composition): Promise<string> {
  op.command("/broadcast");
  await until(op, "Новая рассылка");
  op.send(c.ru, c.ruEntities ? { entities: c.ruEntities } : {});
  await until(op, "Шаг 2 из 4");
  op.send(c.kk);
  await until(op, "Кому отправить");
  await tap(op, c.audience ?? L("ru", "broadcast.compose.audience.all"));
  if (c.language) await tap(op, c.language);
  return (await until(op, "Проверьте рассылку")).text ?? "";
}

/** "Send now" on the summary, until the bot says the broadcast has started. */
export async function sendNow(op: ScriptedUser): Promise<void> {
  await tap(op, L("ru", "broadcast.compose.send_now"));
  await until(op, "запущена");
}
