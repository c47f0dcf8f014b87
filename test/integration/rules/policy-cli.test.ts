import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "emhana-policy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/policy.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("npm run policy -- check <file>", () => {
  it("R7–R12: a good policy and a good holiday table pass with exit code 0; a bad policy lists every problem with its line and exits 1", () => {
    const ok = run("check", join(root, "data/datasets/policy/2027.json"));
    expect(ok.out).toMatch(/2027\.json: OK, a policy for 2027 \(provisional\), no campaign/);
    expect(ok.code).toBe(0);
    expect(run("check", join(root, "data/datasets/holidays/2027.json")).code).toBe(0);

    const policy = JSON.parse(readFileSync(join(root, "data/datasets/policy/2026.json"), "utf8")) as Record<
      string,
      unknown
    >;
    policy.freeChangesPerYear = "two";
    policy.campaign = { start: "11-01", end: "09-01", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } };
    const bad = join(dir, "2026.json");
    writeFileSync(bad, JSON.stringify(policy, null, 2));
    const refused = run("check", bad);
    expect(refused.code).toBe(1);
    const line = (key: string) =>
      readFileSync(bad, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(`"${key}"`)) + 1;
    expect(refused.out).toContain(
      `2026.json:${line("freeChangesPerYear")}: freeChangesPerYear: Invalid input: expected number, received string`,
    );
    expect(refused.out).toContain(
      `2026.json:${line("end")}: campaign.end: the window must start before it ends within one year`,
    );
    expect(refused.out).toMatch(/2 problems: the file is not accepted/);
  }, 60_000);

  it("prints usage and exits 1 without a command or file", () => {
    const r = run();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/usage: npm run policy -- check <file.json>/);
  }, 30_000);
});
