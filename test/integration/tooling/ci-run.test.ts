import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const bin = mkdtempSync(join(tmpdir(), "emhana-ci-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

// Stand-ins for npm (writes the vitest JSON report it is given: FAKE_REPORT for npm test, FAKE_PG_REPORT for the
// PostgreSQL run) and apt-get (unavailable): .ci/run itself is real.
writeFileSync(
  join(bin, "npm"),
  `#!/usr/bin/env bash
if [ "$1" = "ci" ]; then exit 0; fi
report="$FAKE_REPORT"; status="$FAKE_STATUS"
if [ "$1 $2" = "run test:postgres" ]; then report="$FAKE_PG_REPORT"; status="$FAKE_PG_STATUS"; fi
for a in "$@"; do case "$a" in --outputFile.json=*) [ -n "$report" ] && printf '%s' "$report" > "\${a#--outputFile.json=}";; esac; done
exit "$status"
`,
);
writeFileSync(join(bin, "apt-get"), "#!/usr/bin/env bash\nexit 1\n");
for (const f of ["npm", "apt-get"]) chmodSync(join(bin, f), 0o755);

const EMPTY_PG = { numPassedTests: 0, numFailedTests: 0, testResults: [] };

function ci(
  report: object | string | null,
  status = 0,
  pg: { report: object | null; status: number } = { report: EMPTY_PG, status: 0 },
): { lines: string[]; code: number | null } {
  const r = spawnSync("bash", [join(ROOT, ".ci/run")], {
    cwd: ROOT,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: process.env.HOME ?? "",
      FAKE_REPORT: report === null ? "" : typeof report === "string" ? report : JSON.stringify(report),
      FAKE_STATUS: String(status),
      FAKE_PG_REPORT: pg.report === null ? "" : JSON.stringify(pg.report),
      FAKE_PG_STATUS: String(pg.status),
    },
    encoding: "utf8",
  });
  return { lines: r.stdout.trim().split("\n"), code: r.status };
}

describe(".ci/run summary line", () => {
  it("ends with exactly 'N passed, N failed'; skipped tests count neither way and are said on the line before", () => {
    const { lines, code } = ci({
      numPassedTests: 410,
      numFailedTests: 0,
      numPendingTests: 2,
      numTodoTests: 1,
      testResults: [],
    });
    expect(lines.at(-1)).toBe("410 passed, 0 failed");
    expect(lines.at(-2)).toBe("3 skipped");
    expect(code).toBe(0);
  });

  it("reports failures and keeps the exit status; a file that failed to load counts as a failure", () => {
    const report = {
      numPassedTests: 7,
      numFailedTests: 2,
      testResults: [
        { status: "failed", assertionResults: [{ status: "failed" }, { status: "failed" }] },
        { status: "failed", assertionResults: [] },
      ],
    };
    const { lines, code } = ci(report, 1);
    expect(lines.at(-1)).toBe("7 passed, 3 failed");
    expect(code).toBe(1);
  });

  it("adds the PostgreSQL run to the SQLite one; its failure fails the run, and its missing report counts as one", () => {
    const sqlite = { numPassedTests: 400, numFailedTests: 0, numPendingTests: 5, testResults: [] };
    const both = ci(sqlite, 0, {
      report: { numPassedTests: 300, numFailedTests: 1, numPendingTests: 4, testResults: [] },
      status: 1,
    });
    expect(both.lines.slice(-2)).toEqual(["9 skipped", "700 passed, 1 failed"]);
    expect(both.code).toBe(1);
    const noPg = ci(sqlite, 0, { report: null, status: 1 });
    expect(noPg.lines.at(-1)).toBe("400 passed, 1 failed");
    expect(noPg.code).toBe(1);
  });

  it("no report at all (type check or lint failed) → '0 passed, 1 failed'", () => {
    const { lines, code } = ci(null, 2);
    expect(lines.at(-1)).toBe("0 passed, 1 failed");
    expect(code).toBe(2);
  });

  it("an unreadable report (vitest killed mid-write) → '0 passed, 1 failed'", () => {
    const { lines } = ci('{"numPassedTests": 41', 1);
    expect(lines.at(-1)).toBe("0 passed, 1 failed");
  });
});
