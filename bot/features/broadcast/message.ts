import type { MessageEntity } from "grammy/types";
import type { BroadcastRow } from "../../../data/repositories/broadcasts.js";
import { CAPTION_LIMIT, TEXT_LIMIT } from "../../format.js";
import { escapeHtml, type I18n } from "../../i18n.js";
import type { Policy } from "../../../rules/index.js";

/** What one person receives: text with entities (operators' formatting) or HTML (locale texts), maybe a photo. */
export interface Outgoing {
  text: string;
  entities?: MessageEntity[];
  parseMode?: "HTML";
  photo: string | null;
}

/** The unsubscribe line every broadcast and reminder ends with. */
export function footer(i18n: I18n, lang: "ru" | "kk"): string {
  return i18n.t(lang)("broadcast.footer");
}

/** The operator's text as written, then a blank line and the footer; entity offsets stay valid. */
export function withFooter(
  i18n: I18n,
  lang: "ru" | "kk",
  text: string,
  entities: MessageEntity[],
  photo: string | null,
): Outgoing {
  return { text: `${text}\n\n${footer(i18n, lang)}`, entities, photo };
}

/** How long the operator's text may be so that text + footer fits a message (or a caption with a photo). */
export function roomFor(i18n: I18n, hasPhoto: boolean): number {
  const longest = Math.max(footer(i18n, "ru").length, footer(i18n, "kk").length);
  return (hasPhoto ? CAPTION_LIMIT : TEXT_LIMIT) - longest - 2;
}

function parseEntities(json: string | null): MessageEntity[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as MessageEntity[]) : [];
  } catch {
    return [];
  }
}

type Lang = "ru" | "kk";

/**
 * The language a recipient gets: the one they use now if the broadcast has it (someone who switched after it was
 * composed reads the new one), else the one it has. An audience by language gets one text only, and its people were
 * chosen for reading it: a person who has switched since still gets that text, whole, with the footer in the same
 * language (not nothing, and not an empty message). Reminders are locale texts, in both languages.
 */
export function languageFor(b: BroadcastRow, now: Lang | null, atCompose: Lang): Lang {
  if (b.kind === "reminder") return now ?? atCompose;
  const has = (l: Lang) => (l === "ru" ? b.text_ru : b.text_kk) !== null;
  return [now ?? atCompose, atCompose, "ru" as const, "kk" as const].find(has) ?? atCompose;
}

export function outgoingFor(b: BroadcastRow, wanted: Lang, i18n: I18n, policy: Policy | null): Outgoing {
  const lang = languageFor(b, wanted, wanted);
  if (b.kind === "reminder") {
    const t = i18n.t(lang);
    const year = b.campaign_year ?? 0;
    const c = policy?.campaign;
    const body = t(`broadcast.reminders.${b.reminder ?? "opening"}`, {
      start: c ? `${year}-${c.start}` : "—",
      end: c ? `${year}-${c.end}` : "—",
    });
    return { text: `${body}\n\n${escapeHtml(footer(i18n, lang))}`, parseMode: "HTML", photo: null };
  }
  const text = (lang === "kk" ? b.text_kk : b.text_ru) ?? "";
  const entities = parseEntities(lang === "kk" ? b.entities_kk : b.entities_ru);
  return withFooter(i18n, lang, text, entities, b.photo_file_id);
}
