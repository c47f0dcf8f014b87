import { existsSync, renameSync } from "node:fs";
import { keyFilePath, readKeyFile, writeKeyFile } from "../data/data-key.js";
import { isPostgresUrl, openDatabaseUrl, sqlitePathFromUrl } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { total } from "../data/protect.js";
import { beginRotation, finishRotation, openRotation, resealUnderNewKey } from "../data/rotate.js";
import { newSecret, parseSecret, Vault } from "../data/vault.js";
import { databaseUrlFromEnv } from "./database-url.js";

// npm run rotate-key [-- --batch N]: every IIN, draft and conversation state sealed again under a new data key, and
// every IIN index computed anew. Stop the bot first (it refuses to start while a rotation is open). A crash or a
// kill leaves a consistent database: run the same command again and it finishes.
//
// The current key is DATA_KEY, else the key file beside the database. The new key is NEW_DATA_KEY, else the file
// `<database>.key.next`, made here before any row changes (so a second run uses the same one). With a key file the
// new key replaces it when every value is done; with DATA_KEY the operator switches DATA_KEY afterwards. On
// PostgreSQL both keys are given (DATA_KEY, NEW_DATA_KEY): stop every instance first.

class Usage extends Error {}

function secretFrom(name: string, text: string): Buffer {
  const parsed = parseSecret(text);
  if (typeof parsed === "string") throw new Usage(`${name} ${parsed}`);
  return parsed;
}

function batchSize(argv: readonly string[]): number {
  const i = argv.indexOf("--batch");
  if (i < 0) return 500;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Usage("--batch takes a whole number of rows");
  return n;
}

/** Tests only: the process kills itself (SIGKILL) after this many batches, as a crash would. */
function crashAfter(): number | undefined {
  const n = Number(process.env.ROTATE_KEY_TEST_CRASH_AFTER);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

async function main(): Promise<void> {
  const url = databaseUrlFromEnv();
  // A server has no key file beside it: both keys come from the environment.
  const onPostgres = isPostgresUrl(url);
  if (onPostgres && ((process.env.DATA_KEY ?? "").trim() === "" || (process.env.NEW_DATA_KEY ?? "").trim() === ""))
    throw new Usage(
      "with a PostgreSQL DATABASE_URL give both keys: DATA_KEY (the current one) and NEW_DATA_KEY (e.g. `openssl rand -base64 32`)",
    );
  const dbPath = onPostgres ? "" : sqlitePathFromUrl(url);
  if (dbPath === ":memory:") throw new Usage("DATABASE_URL is :memory:, nothing to rotate");
  const batch = batchSize(process.argv.slice(2));
  const keyFile = onPostgres ? "" : keyFilePath(dbPath);
  const nextFile = `${keyFile}.next`;
  const fromEnv = (process.env.DATA_KEY ?? "").trim() !== "";
  if (!fromEnv && !existsSync(keyFile))
    throw new Usage(`no DATA_KEY and no key file ${keyFile}: start the bot once first (it makes the key)`);
  const current = fromEnv ? secretFrom("DATA_KEY", process.env.DATA_KEY ?? "") : readKeyFile(keyFile);

  const database = openDatabaseUrl(url, { max: 2 });
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    // Killed after the key file was replaced: the key at hand is already the new one; only the closing is left.
    const open = await openRotation(db);
    if (open && open.to === new Vault(current).keyId) {
      await finishRotation(db, open.to);
      console.log(`rotate-key: done, the database is sealed with key ${open.to}`);
      return;
    }

    const givenNew = (process.env.NEW_DATA_KEY ?? "").trim();
    let next: Buffer;
    if (givenNew !== "") {
      next = secretFrom("NEW_DATA_KEY", givenNew);
      // With a key file, the new key must be on disk before any row is sealed with it.
      if (!fromEnv && !existsSync(nextFile)) writeKeyFile(nextFile, next);
    } else if (existsSync(nextFile)) {
      next = readKeyFile(nextFile);
    } else {
      next = newSecret();
      writeKeyFile(nextFile, next);
      console.log(`rotate-key: a new key was written to ${nextFile} (owner-only)`);
    }

    const start = await beginRotation(db, current, next);
    const to = new Vault(next).keyId;
    if (start.kind !== "done") {
      console.log(
        `rotate-key: ${start.kind === "resumed" ? "resuming the rotation" : "rotating"} from key ${start.from} to ${start.to}`,
      );
      let batches = 0;
      const crash = crashAfter();
      const counts = await resealUnderNewKey(db, current, next, {
        batch,
        onBatch: (c) => {
          batches += 1;
          console.log(`rotate-key: ${total(c)} values sealed again so far`);
          if (crash !== undefined && batches >= crash) process.kill(process.pid, "SIGKILL");
        },
      });
      console.log(
        `rotate-key: sealed again: ${counts.requests} requests, ${counts.attachments} attachments, ${counts.drafts} drafts, ${counts.conversations} conversations`,
      );
    }
    if (!fromEnv && existsSync(nextFile)) renameSync(nextFile, keyFile);
    await finishRotation(db, to);
    console.log(`rotate-key: done, the database is sealed with key ${to}`);
    if (fromEnv)
      console.log(
        givenNew !== ""
          ? "rotate-key: set DATA_KEY to NEW_DATA_KEY's value now; the old key opens nothing any more"
          : `rotate-key: set DATA_KEY to the key in ${nextFile} (keep it in your secret store, then delete the file); the old key opens nothing any more`,
      );
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  // Usage and key-state problems are one line with what to do; anything else is said as briefly.
  console.error(`rotate-key: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
