import { describe, expect, it } from "vitest";
import { parse_html } from "@telegraf/entity";
import type { MessageEntity } from "grammy/types";
import { messageHtml, plainLength } from "../../../bot/message-html.js";

/** What Telegram sends back for an HTML text: its plain text and entities (the library parses as Telegram does). */
const asSent = (html: string) => parse_html(html) as { text: string; entities: MessageEntity[] };

describe("a message's text as HTML again, to edit more after it", () => {
  it("gives back the tags the bot writes (bold, italic, code, links), nested, with the text escaped", () => {
    const html =
      '<b>Шаг 1. Кого <i>прикрепляем</i>?</b> 1 &lt; 2 &amp; "3"\n<code>A-2026-000001</code> <a href="https://egov.kz/?a=1&amp;b=2">eGov</a>';
    const sent = asSent(html);
    const again = messageHtml(sent.text, sent.entities);
    expect(asSent(again)).toEqual(sent);
    expect(again).toContain("1 &lt; 2 &amp;");
    expect(again).toContain('href="https://egov.kz/?a=1&amp;b=2"');
  });

  it("escapes a text without entities (the library alone would hand it through as it is)", () => {
    expect(messageHtml("<b>не тег</b> & всё")).toBe("&lt;b&gt;не тег&lt;/b&gt; &amp; всё");
  });

  it("cuts entities that reach past a shortened text, and leaves the entities given untouched", () => {
    const sent = asSent("<b>Ответы выше</b>\n\n<b>Вопрос</b>");
    const entities = structuredClone(sent.entities);
    const lead = sent.text.slice(0, "Ответы выше".length + 2);
    expect(messageHtml(lead, sent.entities)).toBe("<b>Ответы выше</b>\n\n");
    expect(messageHtml("Отв", sent.entities)).toBe("<b>Отв</b>");
    expect(sent.entities).toEqual(entities);
  });

  it("leaves as text what needs no tag (a link Telegram finds itself, a kind newer than the library)", () => {
    const text = "Звоните 1414 или /help";
    const entities: MessageEntity[] = [
      { type: "bot_command", offset: 18, length: 5 },
      { type: "phone_number", offset: 8, length: 4 },
    ];
    expect(messageHtml(text, entities)).toBe(text);
  });

  it("counts an HTML text as Telegram does once parsed (what offsets and the 4096 limit count)", () => {
    expect(plainLength("<b>ИИН</b> &lt;принят&gt; 👍")).toBe("ИИН <принят> 👍".length);
  });
});
