import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLINIC_ID,
  CLINIC_ID_IN_LINK_MAX,
  StartPayload,
  clinicIdDigest,
  clinicIdForDigest,
  clinicLink,
  clinicPayload,
  parseStartPayload,
  startLink,
  type StartLink,
} from "../../../bot/deep-links.js";

const TELEGRAM_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
/** Any id the directory can hold: the shipped dataset's and the importer's rule, up to 64 characters. */
const anyClinicId = fc
  .tuple(fc.constantFrom(...idChars.slice(0, 62)), fc.string({ unit: fc.constantFrom(...idChars), maxLength: 63 }))
  .map(([a, b]) => a + b);

describe("deep-link payloads: parse and format", () => {
  it("reads the fixed payloads and a clinic's", () => {
    expect(parseStartPayload("")).toEqual({ kind: "none" });
    expect(parseStartPayload("apply")).toEqual({ kind: "apply" });
    expect(parseStartPayload("check")).toEqual({ kind: "check" });
    expect(parseStartPayload("kk")).toEqual({ kind: "language", locale: "kk" });
    expect(parseStartPayload("ru")).toEqual({ kind: "language", locale: "ru" });
    expect(parseStartPayload("c_almaty-gp-1")).toEqual({ kind: "clinic", clinicId: "almaty-gp-1" });
    expect(parseStartPayload("c_990140000483")).toEqual({ kind: "clinic", clinicId: "990140000483" });
    expect(parseStartPayload("c_sample_astana_01")).toEqual({ kind: "clinic", clinicId: "sample_astana_01" });
  });

  it("round-trips every kind through the zod codec", () => {
    const links: StartLink[] = [
      { kind: "none" },
      { kind: "apply" },
      { kind: "check" },
      { kind: "language", locale: "kk" },
      { kind: "language", locale: "ru" },
      { kind: "clinic", clinicId: "almaty-gp-37" },
      { kind: "clinic_digest", digest: clinicIdDigest("x".repeat(64)) },
    ];
    for (const link of links) {
      const payload = StartPayload.encode(link);
      expect(StartPayload.decode(payload)).toEqual(link);
    }
    expect(StartPayload.encode({ kind: "unknown" })).toBe("");
  });

  it("turns anything that is not one of ours into unknown, never an error", () => {
    for (const bad of [
      "c_", // no id
      "c_-gp-1", // an id starts with a letter or digit
      "c_almaty gp", // a space
      "c_алматы", // not latin
      "c_almaty.gp", // a dot
      "c_" + "a".repeat(63), // 65 characters: more than Telegram carries
      "apply" + "x".repeat(60),
      "APPLY", // payloads are case-sensitive
      "en",
      "h_short",
      "h_" + "A".repeat(23),
      "<script>",
      "061211600012", // an IIN typed after /start: dropped, never kept
      "c_a/../b",
    ]) {
      expect(parseStartPayload(bad), bad).toEqual({ kind: "unknown" });
    }
  });

  it("a clinic's payload fits Telegram (≤ 64 of A-Z a-z 0-9 _ -) and reads back to the clinic, for any stored id (property)", () => {
    fc.assert(
      fc.property(anyClinicId, (id) => {
        expect(CLINIC_ID.test(id)).toBe(true);
        const payload = clinicPayload(id);
        expect(payload).toMatch(TELEGRAM_PAYLOAD);
        const link = parseStartPayload(payload);
        if (id.length <= CLINIC_ID_IN_LINK_MAX) expect(link).toEqual({ kind: "clinic", clinicId: id });
        else {
          expect(link.kind).toBe("clinic_digest");
          expect(link.kind === "clinic_digest" && clinicIdForDigest(link.digest, ["other".repeat(13), id])).toBe(id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("ids of 63 and 64 characters get a digest; a digest never names an id short enough for c_<id>", () => {
    const long = "A".repeat(64);
    expect(clinicPayload(long)).toMatch(/^h_[A-Za-z0-9_-]{22}$/);
    expect(clinicPayload("b".repeat(62))).toBe(`c_${"b".repeat(62)}`);
    const digest = clinicIdDigest("b".repeat(62));
    expect(clinicIdForDigest(digest, ["b".repeat(62)])).toBeUndefined();
    expect(clinicIdForDigest(clinicIdDigest(long), ["B".repeat(64)])).toBeUndefined();
  });

  it("refuses to format an id the directory cannot hold", () => {
    for (const bad of ["", "a b", "-a", "a".repeat(65), "алматы"]) {
      expect(() => clinicPayload(bad), bad).toThrow(/not a clinic id/);
    }
  });
});

describe("deep links", () => {
  it("builds t.me links with the bot's username", () => {
    expect(clinicLink("emhana_bot", "almaty-gp-1")).toBe("https://t.me/emhana_bot?start=c_almaty-gp-1");
    expect(clinicLink("@Emhana_Bot", "almaty-gp-1")).toBe("https://t.me/Emhana_Bot?start=c_almaty-gp-1");
    expect(startLink("emhana_bot", { kind: "apply" })).toBe("https://t.me/emhana_bot?start=apply");
    expect(startLink("emhana_bot", { kind: "language", locale: "kk" })).toBe("https://t.me/emhana_bot?start=kk");
    expect(startLink("emhana_bot", { kind: "none" })).toBe("https://t.me/emhana_bot");
  });

  it("refuses a username Telegram could not have", () => {
    for (const bad of ["", "abc", "1emhana_bot", "emhana-bot", "emhana bot", "t.me/emhana_bot", "a".repeat(33)]) {
      expect(() => clinicLink(bad, "almaty-gp-1"), bad).toThrow();
    }
  });
});
