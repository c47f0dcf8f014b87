import type { MessageEntity } from "grammy/types";
import type { BroadcastRow } from "../../../data/repositories/broadcasts.js";
import { formatDate } from "../../format.js";
import { escapeHtml, type I18n } from "../../i18n.js";
import type { Policy } from "../../../rules/index.js";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

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
export function withFooter(i18n: I18n, lang: "ru" | "kk", text: string, entities: MessageEntity[], photo: string | null): Outgoing {
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

export function outgoingFor(b: BroadcastRow, lang: "ru" | "kk", i18n: I18n, policy: Policy | null): Outgoing {
  if (b.kind === "reminder") {
    const t = i18n.t(lang);
    const year = b.campaign_year ?? 0;
    const c = policy?.campaign;
    const body = t(`broadcast.reminders.${b.reminder ?? "opening"}`, {
      start: c ? formatDate(`${year}-${c.start}`) : "—",
      end: c ? formatDate(`${year}-${c.end}`) : "—",
    });
    return { text: `${body}\n\n${escapeHtml(footer(i18n, lang))}`, parseMode: "HTML", photo: null };
  }
  const text = (lang === "kk" ? b.text_kk : b.text_ru) ?? b.text_ru ?? "";
  const entities = parseEntities(lang === "kk" ? b.entities_kk : b.entities_ru);
  return withFooter(i18n, lang, text, entities, b.photo_file_id);
}
