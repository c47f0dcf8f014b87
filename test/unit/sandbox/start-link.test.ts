import { describe, expect, it } from "vitest";
import { startPayloadOf } from "../../../scripts/sandbox/start-link.js";

const BOT = "emhana_sandbox_bot";

describe("the sandbox's 'open by link': the payload Telegram would hand to /start", () => {
  it("takes t.me links in their usual shapes, tg://resolve and a bare payload", () => {
    for (const link of [
      `https://t.me/${BOT}?start=c_almaty-gp-1`,
      `http://t.me/${BOT}?start=c_almaty-gp-1`,
      `t.me/${BOT}?start=c_almaty-gp-1`,
      `https://telegram.me/${BOT}?start=c_almaty-gp-1`,
      `https://t.me/Emhana_Sandbox_Bot?start=c_almaty-gp-1`,
      `  tg://resolve?domain=${BOT}&start=c_almaty-gp-1 `,
      "c_almaty-gp-1",
    ]) {
      expect(startPayloadOf(link, BOT), link).toEqual({ ok: true, payload: "c_almaty-gp-1" });
    }
    expect(startPayloadOf(`https://t.me/${BOT}?start=h_${"A".repeat(22)}`, BOT)).toEqual({
      ok: true,
      payload: `h_${"A".repeat(22)}`,
    });
  });

  it("a link without start= is a plain /start", () => {
    expect(startPayloadOf(`https://t.me/${BOT}`, BOT)).toEqual({ ok: true, payload: "" });
    expect(startPayloadOf(`https://t.me/${BOT}?start=`, BOT)).toEqual({ ok: true, payload: "" });
  });

  it("refuses another bot's link, a payload Telegram would not pass on, and what is not a link", () => {
    expect(startPayloadOf("https://t.me/other_bot?start=c_x", BOT)).toMatchObject({ ok: false, problem: "other_bot" });
    expect(startPayloadOf(`tg://resolve?domain=other_bot&start=c_x`, BOT)).toMatchObject({ problem: "other_bot" });
    for (const payload of ["c_a:b", "x".repeat(65), "с_кириллица", "a%20b"])
      expect(startPayloadOf(`https://t.me/${BOT}?start=${payload}`, BOT), payload).toMatchObject({
        problem: "bad_payload",
      });
    for (const text of ["https://example.com/?start=c_x", "mailto:someone@example.com", "two words", "https://"])
      expect(startPayloadOf(text, BOT), text).toMatchObject({ ok: false, problem: "not_a_link" });
  });
});
