import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { callbackCodec } from "../callback-data.js";
import type { T } from "../i18n.js";

/** Main-menu entries, in display order; each is also a command of the same name. */
export const MENU_ENTRIES = ["apply", "status", "check", "clinics", "faq", "contacts", "language"] as const;
export type MenuEntry = (typeof MENU_ENTRIES)[number];

export const menuCb = callbackCodec("menu", [z.enum(MENU_ENTRIES)]);

export function mainMenu(t: T): InlineKeyboard {
  const kb = new InlineKeyboard();
  MENU_ENTRIES.forEach((entry, i) => {
    kb.text(t(`menu.${entry}`), menuCb.data(entry));
    // The first entry, the main action, stands alone; the rest go two a row.
    if (i % 2 === 0) kb.row();
  });
  return kb;
}
