import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { callbackCodec, zId } from "../../../bot/callback-data.js";

const codec = callbackCodec("wd", [z.enum(["ask", "yes"]), zId]);

describe("callback data is validated at the edge", () => {
  it("round-trips valid data", () => {
    expect(codec.parse(codec.data("yes", 42))).toEqual(["yes", 42]);
  });

  it("rejects forged, stale and oversized data", () => {
    for (const bad of [
      "wd:no:1",
      "wd:yes:x",
      "wd:yes",
      "wd:yes:1:extra",
      "xx:yes:1",
      "wd:yes:" + "9".repeat(70),
      undefined,
    ]) {
      expect(codec.parse(bad)).toBeNull();
    }
  });

  it("whatever it accepts is a well-formed value of its own kind (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ maxLength: 20 }).map((t) => `wd:${t}`),
        ),
        (s) => {
          const parsed = codec.parse(s);
          if (parsed !== null) expect(codec.parse(codec.data(parsed[0], parsed[1]))).toEqual(parsed);
        },
      ),
      { numRuns: 2000, seed: 64 },
    );
  });

  it("refuses to build data over Telegram's 64 bytes", () => {
    const long = callbackCodec("x", [z.string()]);
    expect(() => long.data("й".repeat(40))).toThrow(/64 bytes/);
  });
});
