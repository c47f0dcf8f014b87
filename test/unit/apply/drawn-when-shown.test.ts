import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { BaseContext } from "../../../bot/context.js";
import { classify, drawnWhenShown, pickData } from "../../../bot/features/apply/ask.js";

describe("a question is drawn only when shown", () => {
  const question = () => {
    let draws = 0;
    const q = drawnWhenShown({ step: "who", pick: z.tuple([z.enum(["self", "child"])]), hint: "h" }, () => {
      draws += 1;
      return { text: "Кого прикрепить?" };
    });
    return { q, draws: () => draws };
  };

  it("checking a pressed or typed answer does not draw it", () => {
    const { q, draws } = question();
    const pressed = { callbackQuery: { data: pickData("who", "child") } } as unknown as BaseContext;
    expect(classify(pressed, q)).toEqual({ kind: "pick", parts: ["child"] });
    const forged = { callbackQuery: { data: pickData("who", "aunt") } } as unknown as BaseContext;
    expect(classify(forged, q)).toBeNull();
    const typed = { message: { text: "отмена" } } as unknown as BaseContext;
    expect(classify(typed, q)).toEqual({ kind: "nav", to: "cancel" });
    expect(draws()).toBe(0);
  });

  it("showing it draws it once, however often its text and buttons are read", () => {
    const { q, draws } = question();
    expect(q.text).toBe("Кого прикрепить?");
    expect(`${q.text} ${String(q.keyboard)}`).toBe("Кого прикрепить? undefined");
    expect({ ...q }.text).toBe("Кого прикрепить?");
    expect(draws()).toBe(1);
  });
});

describe("a question's buttons that depend on what it showed", () => {
  // A page of settlements: any id is in shape, only those of the page are offered.
  const page = ["almaty", "kosshy"];
  const q = {
    step: "settlement" as const,
    text: "Населённый пункт?",
    pick: z.union([z.tuple([z.literal("p"), z.string()]), z.tuple([z.string()])]),
    offered: ([a, b]: string[]) => b !== undefined || page.includes(a ?? ""),
    parseText: (t: string) => [t.toLowerCase()],
    hint: "h",
  };
  const press = (data: string) => ({ callbackQuery: { data } }) as unknown as BaseContext;

  it("R4: an id it offered is taken, pressed or typed; one of another page or another city is not", () => {
    expect(classify(press(pickData("settlement", "kosshy")), q)).toEqual({ kind: "pick", parts: ["kosshy"] });
    expect(classify(press(pickData("settlement", "p", 1)), q)).toEqual({ kind: "pick", parts: ["p", "1"] });
    expect(classify(press(pickData("settlement", "shymkent")), q)).toBeNull();
    expect(classify({ message: { text: "Almaty" } } as unknown as BaseContext, q)).toEqual({
      kind: "pick",
      parts: ["almaty"],
    });
    expect(classify({ message: { text: "Shymkent" } } as unknown as BaseContext, q)).toBeNull();
  });
});
