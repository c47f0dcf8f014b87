import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { newSecret, parseSecret } from "./vault.js";

/**
 * Where the data key comes from: DATA_KEY when set (production keeps it in a secret store), else a key file beside
 * the database, written on the first start. A backup copies the database only: the key is never in it.
 */
export type KeySource =
  | { kind: "env" }
  | { kind: "file"; path: string }
  | { kind: "created"; path: string }
  /** An in-memory database: a key for this process only. */
  | { kind: "memory" };

export interface DataKey {
  secret: Buffer;
  source: KeySource;
}

/** The key file of a database file: `<database>.key`. */
export function keyFilePath(dbPath: string): string {
  return `${dbPath}.key`;
}

export class DataKeyError extends Error {
  override name = "DataKeyError";
}

/** Reads a key file (base64 on one line); the file is made owner-only if it was not. */
export function readKeyFile(path: string): Buffer {
  const parsed = parseSecret(readFileSync(path, "utf8"));
  if (typeof parsed === "string") throw new DataKeyError(`${path} ${parsed}`);
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return parsed;
}

/** Writes a key file readable by its owner only; never over an existing one. */
export function writeKeyFile(path: string, secret: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${secret.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
}

/**
 * The data key: DATA_KEY (base64 of 32 bytes), else `<database>.key`, created with a new random key when missing.
 * `envKey` empty or undefined means not set.
 */
export function resolveDataKey(envKey: string | undefined, dbPath: string): DataKey {
  if (envKey !== undefined && envKey.trim() !== "") {
    const parsed = parseSecret(envKey);
    if (typeof parsed === "string") throw new DataKeyError(`DATA_KEY ${parsed}`);
    return { secret: parsed, source: { kind: "env" } };
  }
  if (dbPath === ":memory:") return { secret: newSecret(), source: { kind: "memory" } };
  const path = keyFilePath(dbPath);
  if (existsSync(path)) return { secret: readKeyFile(path), source: { kind: "file", path } };
  const secret = newSecret();
  try {
    writeKeyFile(path, secret);
  } catch (err) {
    // Another process (a script started alongside) wrote it first: that key is the one.
    if ((err as { code?: unknown }).code === "EEXIST")
      return { secret: readKeyFile(path), source: { kind: "file", path } };
    throw err;
  }
  return { secret, source: { kind: "created", path } };
}
