import { describe, expect, it } from "vitest";
import { TEXT_LIMIT } from "../../../bot/format.js";
import { splitHtml, visibleLength } from "../../../bot/ui/long-text.js";

/** What Telegram shows: tags gone, entities decoded. */
const shown = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");

/** True when every tag is closed in order and no tag or entity is cut. */
function wellFormed(html: string): boolean {
  if (/<[^>]*$/.test(html) || /&[#a-z0-9]*$/i.test(html)) return false;
  const stack: string[] = [];
  for (const [, close, name] of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    if (!close) stack.push(name ?? "");
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe("long texts within Telegram's limit", () => {
  it("measures the length after parsing: tags count nothing, an entity one character, an emoji two", () => {
    expect(visibleLength("<b>a&amp;b</b> <code>&lt;x&gt;</code>")).toBe(7);
    expect(visibleLength("😀&#128512;&#1050;")).toBe(5);
    expect(visibleLength('<a href="https://example.kz/a?b=1&amp;c=2">link</a>')).toBe(4);
  });

  it("a short text stays one piece", () => {
    expect(splitHtml("<b>Сотрудники</b>\n• 1")).toEqual(["<b>Сотрудники</b>\n• 1"]);
  });

  it("a list of many lines is cut between lines, each piece within the limit, nothing lost", () => {
    const line = (i: number) =>
      `• <code>${100000 + i}</code> Имя &amp; «Ко» — <b>поддержка</b>, поликлиники: almaty-gp-1, almaty-gp-2, shymkent-gp-1`;
    const lines = Array.from({ length: 300 }, (_, i) => line(i));
    const text = ["<b>Сотрудники</b>", ...lines].join("\n");
    expect(visibleLength(text)).toBeGreaterThan(TEXT_LIMIT);
    const pieces = splitHtml(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(wellFormed(p), p.slice(-80)).toBe(true);
      // Whole lines only.
      for (const l of p.split("\n").slice(1)) expect(lines).toContain(l);
    }
    expect(pieces.map(shown).join("\n")).toBe(shown(text));
  });

  it("one long line is cut at spaces; a tag open at the cut is closed and opened again", () => {
    const text = `<b>${"слово ".repeat(2000)}</b>`;
    const pieces = splitHtml(text);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(p.startsWith("<b>") && p.endsWith("</b>")).toBe(true);
      expect(wellFormed(p)).toBe(true);
    }
    expect(pieces.map(shown).join(" ").trim()).toBe(shown(text).trim());
  });

  it("never cuts inside an entity, a tag's attributes or an emoji", () => {
    const entities = splitHtml("&amp;".repeat(5000));
    for (const p of entities) expect(p).toMatch(/^(&amp;)+$/);
    expect(entities.map(visibleLength).reduce((a, b) => a + b)).toBe(5000);
    expect(splitHtml("a😀b&lt;c", 2)).toEqual(["a", "😀", "b&lt;", "c"]);
    const linked = splitHtml(`<a href="https://x.kz/?a=1&amp;b=2">${"ж".repeat(10)}</a>`, 4);
    for (const p of linked) {
      expect(wellFormed(p)).toBe(true);
      expect(visibleLength(p)).toBeLessThanOrEqual(4);
    }
    expect(linked.map(shown).join("")).toBe("ж".repeat(10));
  });
});
