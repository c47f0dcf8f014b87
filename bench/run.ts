// `npm run bench` (quick profile) or `npm run bench -- --full`; `--only storage,apply` runs some suites; `--profile`
// also writes a CPU profile of the bot under the application load to bench/profiles/ (open it in Chrome DevTools).
// Prints each suite's figures and a table of goals, and writes bench/results.json. Never part of `npm test`.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { machine, Report } from "./lib/report.js";
import { SUITES, type Profile } from "./suites.js";

const { values } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
  },
});

const PROFILES: Record<"quick" | "full", Profile> = {
  quick: {
    name: "quick",
    applyUsers: [100, 1000],
    handlerUsers: 1000,
    idleConversations: 1000,
    broadcastRecipients: 600,
    broadcastKills: 1,
    storageRequests: 200_000,
    scaleUsers: 500,
    cpuProfile: false,
  },
  full: {
    name: "full",
    applyUsers: [100, 1000, 10_000],
    handlerUsers: 1000,
    idleConversations: 10_000,
    broadcastRecipients: 10_000,
    broadcastKills: 3,
    storageRequests: 1_000_000,
    scaleUsers: 2000,
    cpuProfile: false,
  },
};

const profile = { ...PROFILES[values.full ? "full" : "quick"], cpuProfile: values.profile };
const wanted = values.only ? values.only.split(",").map((s) => s.trim()) : Object.keys(SUITES);
const unknown = wanted.filter((s) => !(s in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(", ")}; known: ${Object.keys(SUITES).join(", ")}`);
  process.exit(2);
}

const report = new Report();
const startedAt = new Date().toISOString();
for (const name of wanted) {
  const suite = SUITES[name];
  if (!suite) continue;
  console.log(`\n== ${name} (${profile.name}) ==`);
  const t0 = performance.now();
  report.suites[name] = await suite(profile, report);
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

console.log(`\n== goals ==\n${report.table()}`);
const out = resolve(import.meta.dirname, "results.json");
const tmp = `${out}.tmp`;
// --only replaces its suites in a results file of the same profile and keeps the others (each says when it ran).
const Previous = z.object({
  profile: z.string(),
  goals: z.array(z.object({ suite: z.string() }).passthrough()),
  suites: z.record(z.string(), z.unknown()),
});
const previous = values.only && existsSync(out) ? Previous.safeParse(JSON.parse(readFileSync(out, "utf8"))) : undefined;
const kept = previous?.success && previous.data.profile === profile.name ? previous.data : { goals: [], suites: {} };
const ran = new Set(wanted);
const suiteOf = (g: { suite: string }) => g.suite.split("@")[0] ?? g.suite;
const results = {
  profile: profile.name,
  finishedAt: new Date().toISOString(),
  machine: machine(),
  goals: [...kept.goals.filter((g) => !ran.has(suiteOf(g))), ...report.goals],
  suites: {
    ...kept.suites,
    ...Object.fromEntries(Object.entries(report.suites).map(([k, v]) => [k, { startedAt, result: v }])),
  },
};
writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
renameSync(tmp, out);
console.log(`\nwritten ${out}`);
process.exit(0);
