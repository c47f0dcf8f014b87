import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkRulesFile, type RulesFileCheck } from "../data/datasets/check-rules-file.js";

const USAGE = `usage: npm run policy -- check <file.json>
  Checks a year's policy (data/datasets/policy/<year>.json), a year's holiday table
  (data/datasets/holidays/<year>.json) or the holiday law (data/datasets/holidays/statutory.json) with the schemas
  the bot loads them with. Every problem is listed with its line; exit code 1 when there is any (the file is
  accepted whole or not at all). See rules/README.md.`;

function summary(r: Extract<RulesFileCheck, { ok: true }>): string {
  if (r.kind === "policy")
    return `a policy for ${r.policy.year} (${r.policy.status}), ${r.policy.campaign ? `campaign ${r.policy.campaign.start}…${r.policy.campaign.end}` : "no campaign"}`;
  if (r.kind === "holidays")
    return `the holiday table for ${r.table.year} (${r.table.status}), ${r.table.days.length} days`;
  return `the holiday law (${r.law.status}), ${r.law.holidays.length} holidays`;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h", default: false } },
  });
  const [command, file] = positionals;
  if (values.help || command !== "check" || !file || positionals.length > 2) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const result = checkRulesFile(readFileSync(file, "utf8"), { fileName: file });
  if (result.ok) {
    console.log(`${file}: OK, ${summary(result)}`);
    return 0;
  }
  for (const p of result.problems)
    console.log(`${file}${p.line ? `:${p.line}` : ""}: ${p.path ? `${p.path}: ` : ""}${p.message}`);
  const n = result.problems.length;
  console.log(`${n} problem${n === 1 ? "" : "s"}: the file is not accepted`);
  return 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`policy check failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
