import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { clinicLink } from "../bot/deep-links.js";
import { createI18n } from "../bot/i18n.js";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { openDatabaseUrl } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { getOperator } from "../data/repositories/settings.js";
import { databaseUrlFromEnv } from "./database-url.js";
import { parsePosterArgs, USAGE } from "./posters/args.js";
import { botUsername } from "./posters/bot-username.js";
import { posterContent } from "./posters/content.js";
import { loadPosterFonts, renderPoster } from "./posters/render.js";
import { selectClinics } from "./posters/select.js";

// A4 posters for clinic lobbies: one PDF per clinic, Kazakh and Russian side by side, with a QR code of the clinic's
// deep link. Every problem is one line and exit code 1.

function fail(problem: string): number {
  console.error(`posters: ${problem}`);
  return 1;
}

async function main(): Promise<number> {
  const args = parsePosterArgs(process.argv.slice(2));
  if (args.kind === "help") {
    console.log(USAGE);
    return 0;
  }
  if (args.kind === "bad") return fail(`${args.problem} (npm run posters -- --help)`);
  const url = databaseUrlFromEnv(); // also reads .env, where BOT_TOKEN may be
  const bot = await botUsername(process.env, args.bot);
  if (!bot.ok) return fail(bot.problem);

  const database = openDatabaseUrl(url);
  try {
    // As the bot at its start: the schema brought up to date and, into an empty directory, the shipped one.
    await migrateToLatest(database.db);
    const { seeded } = await loadShippedDirectory(database.db);
    if (seeded) console.log(`empty directory: loaded the shipped places and ${seeded.clinics} sample clinics first`);
    const selected = await selectClinics(database.db, args.selection);
    if (!selected.ok) return fail(selected.problem);
    const operator = await getOperator(database.db);

    const out = resolve(args.out);
    try {
      mkdirSync(out, { recursive: true });
    } catch (err) {
      return fail(`--out ${args.out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const i18n = await createI18n();
    const fonts = loadPosterFonts();
    let written = 0;
    for (const clinic of selected.clinics) {
      if (!clinic.active) {
        console.log(`skipped ${clinic.id}: inactive in the directory (a closed clinic gets no poster)`);
        continue;
      }
      const content = posterContent(clinic, clinicLink(bot.username, clinic.id), operator, i18n);
      const file = join(out, `${clinic.id}.pdf`);
      writeFileSync(file, await renderPoster(content, fonts));
      console.log(`wrote ${file}`);
      written++;
    }
    if (written === 0) return fail("no poster written: every chosen clinic is inactive");
    console.log(
      `${written} poster${written === 1 ? "" : "s"} for @${bot.username} (from ${bot.from}) in ${out}` +
        (operator ? "" : "; who runs the bot is not set, the posters say so (an admin sets it: /settings operator)"),
    );
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`posters failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
