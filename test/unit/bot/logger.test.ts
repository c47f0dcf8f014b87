import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createLogger, lazyChild } from "../../../bot/logger.js";

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe("an update's logger", () => {
  it("is made only when the update logs, with its bindings, and still redacts personal data", async () => {
    const { lines, stream } = capture();
    const parent = createLogger("info", stream);
    const child = vi.spyOn(parent, "child");
    const log = lazyChild(parent, { update_id: 42 });
    expect(child).not.toHaveBeenCalled();
    log.debug("below the level");
    log.info({ text: "900101300218", step: "iin" }, "answered");
    log.warn("again");
    expect(child).toHaveBeenCalledTimes(1);
    expect(log.isLevelEnabled("debug")).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.update_id, l.msg, l.text, l.step])).toEqual([
      [42, "answered", "[redacted]", "iin"],
      [42, "again", undefined, undefined],
    ]);
  });
});
