import { describe, expect, it } from "vitest";
import { REJECT_REASONS } from "../../../bot/features/staff/callbacks.js";
import { loadResources } from "../../../bot/i18n.js";

const resources = loadResources();
const at = (o: unknown, path: string[]): unknown =>
  path.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);

describe("R14: every refusal reason speaks both languages", () => {
  it("R14: a button, the reason and what to do next, in ru and kk", () => {
    for (const lang of ["ru", "kk"] as const) {
      for (const code of REJECT_REASONS) {
        for (const group of ["reject_buttons", "reject_reasons", "reject_next"]) {
          expect(typeof at(resources[lang], ["staff", group, code]), `${lang} staff.${group}.${code}`).toBe("string");
        }
      }
    }
  });
});
