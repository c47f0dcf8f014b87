import { config as loadDotenv } from "dotenv";
import { DEFAULT_DATABASE_URL, databaseUrlProblem } from "../data/db.js";

/**
 * DATABASE_URL as the bot reads it (a .env file fills what the environment does not set, the same default), or exit 1
 * with one line. Only this variable: the scripts need no bot token.
 */
export function databaseUrlFromEnv(): string {
  loadDotenv({ quiet: true, path: process.env.DOTENV_CONFIG_PATH || ".env" });
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const problem = databaseUrlProblem(url);
  if (problem) {
    console.error(`DATABASE_URL: ${problem}`);
    process.exit(1);
  }
  return url;
}
