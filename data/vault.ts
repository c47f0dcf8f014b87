import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Personal data at rest: AES-256-GCM for what must be read back (IINs, drafts, conversation state), a keyed HMAC
 * for what is only looked up (an IIN's blind index). Both keys are derived (HKDF-SHA256) from one 32-byte secret,
 * DATA_KEY; a sealed value names the key it was sealed with, so a rotation can tell done rows from the rest.
 */

/** Where a sealed value belongs: bound into the ciphertext (AAD), so a value moved to another column does not open. */
export type Purpose = "iin" | "draft" | "conversation" | "updates";

/** An IIN's keyed HMAC: lookups by it never see the IIN. Only Vault.index makes one. */
export type IinKey = string & { readonly __iinKey: unique symbol };

const FORMAT = "s1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = Buffer.from("emhana data key v1");

export const SECRET_BYTES = 32;

export class VaultError extends Error {
  override name = "VaultError";
}

interface KeyMaterial {
  id: string;
  enc: Buffer;
  idx: Buffer;
}

function derive(secret: Buffer): KeyMaterial {
  if (secret.length !== SECRET_BYTES) throw new VaultError(`a data key is ${SECRET_BYTES} bytes`);
  const sub = (info: string) => Buffer.from(hkdfSync("sha256", secret, SALT, info, 32));
  // The id is public (it is written next to every sealed value): derived apart, it says nothing of the keys.
  const id = sub("key id").subarray(0, 4).toString("hex");
  return { id, enc: sub("aes-256-gcm"), idx: sub("hmac-sha256 iin index") };
}

export class Vault {
  private readonly current: KeyMaterial;
  private readonly byId: Map<string, KeyMaterial>;

  /** `older`: keys that may still open values (a rotation in progress); sealing always uses `secret`. */
  constructor(secret: Buffer, older: readonly Buffer[] = []) {
    this.current = derive(secret);
    this.byId = new Map([this.current, ...older.map(derive)].map((k) => [k.id, k]));
  }

  /** The current key's public id (8 hex digits). */
  get keyId(): string {
    return this.current.id;
  }

  /** Random IVs drawn in bulk: one call for the random source costs as much as a small value's sealing. */
  private ivs = Buffer.alloc(0);
  private ivAt = 0;

  private nextIv(): Buffer {
    if (this.ivAt + IV_BYTES > this.ivs.length) {
      this.ivs = randomBytes(IV_BYTES * 256);
      this.ivAt = 0;
    }
    return this.ivs.subarray(this.ivAt, (this.ivAt += IV_BYTES));
  }

  /** Text is sealed as UTF-8; bytes (text already encoded, such as a body as Telegram sent it) as they are. */
  seal(plain: string | Uint8Array, purpose: Purpose): string {
    const iv = this.nextIv();
    const cipher = createCipheriv("aes-256-gcm", this.current.enc, iv);
    cipher.setAAD(Buffer.from(purpose));
    const head = typeof plain === "string" ? cipher.update(plain, "utf8") : cipher.update(plain);
    const body = Buffer.concat([head, cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    return `${FORMAT}:${this.current.id}:${packed}`;
  }

  open(sealed: string, purpose: Purpose): string {
    return this.openBytes(sealed, purpose).toString("utf8");
  }

  /** What was sealed, as bytes (for a value sealed from bytes that are not text). */
  openBytes(sealed: string, purpose: Purpose): Buffer {
    const kid = sealedKeyId(sealed);
    if (kid === null) throw new VaultError("not a sealed value");
    const key = this.byId.get(kid);
    if (!key) throw new VaultError(`sealed with another key (${kid})`);
    const packed = Buffer.from(sealed.slice(FORMAT.length + kid.length + 2), "base64url");
    if (packed.length < IV_BYTES + TAG_BYTES) throw new VaultError("sealed value cut short");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.enc, packed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new VaultError("sealed value does not open (altered, or another purpose)");
    }
  }

  /** The IIN's blind index under the current key. */
  index(iin: string): IinKey {
    return createHmac("sha256", this.current.idx).update(`iin:${iin}`).digest("base64url") as IinKey;
  }

  /** True when the value was sealed with the current key (a rotation's "done"). */
  isCurrent(sealed: string): boolean {
    return sealedKeyId(sealed) === this.current.id;
  }
}

/** The id of the key a value was sealed with, or null when it is not a sealed value (plain data from before). */
export function sealedKeyId(value: string): string | null {
  const m = /^s1:([0-9a-f]{8}):/.exec(value);
  return m?.[1] ?? null;
}

export function isSealed(value: string): boolean {
  return sealedKeyId(value) !== null;
}

/** A fresh random secret. */
export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** DATA_KEY's text (base64 of 32 bytes) as a secret, or why not. */
export function parseSecret(text: string): Buffer | string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return "must be base64 (make one with: openssl rand -base64 32)";
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length !== SECRET_BYTES)
    return `must be ${SECRET_BYTES} bytes in base64, got ${bytes.length} (make one with: openssl rand -base64 32)`;
  return bytes;
}
