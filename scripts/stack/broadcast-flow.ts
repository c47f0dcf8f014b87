import type { MessageEntity } from "grammy/types";
import type { ScriptedUser } from "../emulator/index.js";
import { chooseLanguage, L, tap, until } from "./flow.js";
import type { Stack } from "./harness.js";

type Lang = "ru" | "kk";

export interface Composition {
  /** The texts the audience needs: both for most audiences, one for an audience by language. */
  ru?: string;
  kk?: string;
  ruEntities?: MessageEntity[];
  /** An audience button (default: all subscribers) and, for "by language", the language button. */
  audience?: string;
  language?: string;
  /** The operator's language (default Russian): the language of the bot's questions. */
  lang?: Lang;
}

/** What the bot's messages at each point contain, in the operator's language. */
export const SAYS = {
  ru: { start: "Новая рассылка", summary: "Проверьте рассылку", started: "запущена" },
  kk: { start: "Жаңа таратылым", summary: "Таратылымды тексеріңіз", started: "басталды" },
} as const;

/** An operator composes a broadcast through /broadcast (the audience, then its texts) up to its summary; the summary's text. */
export async function composeBroadcast(op: ScriptedUser, c: Composition): Promise<string> {
  const lang = c.lang ?? "ru";
  op.command("/broadcast");
  await until(op, SAYS[lang].start);
  await tap(op, c.audience ?? L(lang, "broadcast.compose.audience.all"));
  if (c.language) await tap(op, c.language);
  if (c.ru !== undefined) {
    await until(op, L(lang, "broadcast.compose.text_first"));
    op.send(c.ru, c.ruEntities ? { entities: c.ruEntities } : {});
  }
  if (c.kk !== undefined) {
    await until(op, L(lang, c.ru !== undefined ? "broadcast.compose.text_second" : "broadcast.compose.text_first"));
    op.send(c.kk);
  }
  return (await until(op, SAYS[lang].summary)).text ?? "";
}

/** "Send now" on the summary, until the bot says the broadcast has started. */
export async function sendNow(op: ScriptedUser, lang: Lang = "ru"): Promise<void> {
  await tap(op, L(lang, "broadcast.compose.send_now"));
  await until(op, SAYS[lang].started);
}

/** Operators in ru and kk (unsubscribed: they compose, they do not receive) and subscribers with their languages. */
export async function operatorsAndPeople(
  stack: Stack,
  operators: Record<Lang, number>,
  people: [number, Lang][],
): Promise<{ ops: Record<Lang, ScriptedUser>; people: Map<number, ScriptedUser> }> {
  const ops = {} as Record<Lang, ScriptedUser>;
  for (const lang of ["ru", "kk"] as const) {
    const op = stack.tg.user({ id: operators[lang], first_name: `Оператор ${lang}`, language_code: lang });
    await chooseLanguage(op, lang);
    op.command("/stop");
    await until(op, L(lang, "subscription.stopped"));
    ops[lang] = op;
  }
  const users = new Map<number, ScriptedUser>();
  for (const [id, lang] of people) {
    const u = stack.tg.user({ id, first_name: `P${id}`, language_code: lang });
    await chooseLanguage(u, lang);
    users.set(id, u);
  }
  return { ops, people: users };
}
