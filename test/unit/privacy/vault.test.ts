import { describe, expect, it } from "vitest";
import { isSealed, newSecret, parseSecret, sealedKeyId, Vault, VaultError } from "../../../data/vault.js";
import { iinCheckDigit, maskIin, maskIinBesideBirthDate, parseIin } from "../../../rules/index.js";

const IIN = "900101300218";

describe("the data key seals and indexes personal data", () => {
  it("a sealed IIN opens with its key and purpose only, and never shows the IIN", () => {
    const vault = new Vault(newSecret());
    const sealed = vault.seal(IIN, "iin");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(IIN);
    expect(sealedKeyId(sealed)).toBe(vault.keyId);
    expect(vault.open(sealed, "iin")).toBe(IIN);
    // Random IVs: the same IIN twice is two different values (nothing to match in the file).
    expect(vault.seal(IIN, "iin")).not.toBe(sealed);
    // Moved to another column (another purpose), altered, or under another key: it does not open.
    expect(() => vault.open(sealed, "draft")).toThrow(VaultError);
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith("A") ? "B" : "A"}${sealed.slice(-1)}`;
    expect(() => vault.open(altered, "iin")).toThrow(VaultError);
    expect(() => new Vault(newSecret()).open(sealed, "iin")).toThrow(/another key/);
  });

  it("every sealing has an IV of its own, across the IVs drawn in bulk, and every value opens", () => {
    const vault = new Vault(newSecret());
    const sealed = Array.from({ length: 1000 }, () => vault.seal(IIN, "iin"));
    // The IV is the packed value's first 12 bytes.
    const ivs = new Set(
      sealed.map((s) =>
        Buffer.from(s.split(":")[2] ?? "", "base64url")
          .subarray(0, 12)
          .toString("hex"),
      ),
    );
    expect(ivs.size).toBe(1000);
    for (const s of sealed) expect(vault.open(s, "iin")).toBe(IIN);
  });

  it("the lookup index is the same for one IIN under one key, different under another, and not the IIN", () => {
    const secret = newSecret();
    const a = new Vault(secret);
    expect(a.index(IIN)).toBe(new Vault(secret).index(IIN));
    expect(a.index(IIN)).not.toBe(a.index("900101300226"));
    expect(a.index(IIN)).not.toBe(new Vault(newSecret()).index(IIN));
    expect(a.index(IIN)).not.toContain(IIN);
  });

  it("during a rotation the new key seals and indexes, and the old one still opens what is left", () => {
    const old = newSecret();
    const fresh = newSecret();
    const before = new Vault(old).seal(IIN, "iin");
    const rotating = new Vault(fresh, [old]);
    expect(rotating.open(before, "iin")).toBe(IIN);
    expect(rotating.isCurrent(before)).toBe(false);
    expect(rotating.isCurrent(rotating.seal(IIN, "iin"))).toBe(true);
    expect(rotating.index(IIN)).toBe(new Vault(fresh).index(IIN));
  });

  it("DATA_KEY is base64 of 32 bytes; anything else is said with how to make one", () => {
    const key = newSecret();
    expect(parseSecret(key.toString("base64"))).toEqual(key);
    expect(parseSecret(`${key.toString("base64url")}\n`)).toEqual(key);
    expect(parseSecret("c2hvcnQ=")).toMatch(/32 bytes.*openssl rand -base64 32/);
    expect(parseSecret("not base64!")).toMatch(/base64/);
  });
});

/** Every valid IIN matching what is shown: the birth date's digits, and the digits a mask leaves. */
function candidates(birth: string, shown: (candidate: string) => boolean): number {
  let n = 0;
  // Digit 7: century and sex (1900s: 3 or 4); digits 8–11 the serial; 12 the check digit.
  for (const seventh of ["3", "4"])
    for (let serial = 0; serial < 10_000; serial++) {
      const first11 = `${birth}${seventh}${String(serial).padStart(4, "0")}`;
      const check = iinCheckDigit([...first11].map(Number));
      if (check === null) continue;
      const iin = `${first11}${check}`;
      if (parseIin(iin, new Date("2026-09-15T05:00:00Z")).ok && shown(iin)) n += 1;
    }
  return n;
}

describe("R18: the staff card's IIN beside the birth date", () => {
  it("shows only the last two digits", () => {
    expect(maskIinBesideBirthDate(IIN)).toBe("••••••••••18");
    expect(maskIinBesideBirthDate(IIN).replace(/•/g, "")).toHaveLength(2);
  });

  it("R18: leaves about ten times as many candidate IINs as the old mask beside the birth date did", () => {
    const birth = IIN.slice(0, 6);
    const old = candidates(birth, (c) => maskIin(c) === maskIin(IIN));
    const now = candidates(birth, (c) => maskIinBesideBirthDate(c) === maskIinBesideBirthDate(IIN));
    expect(old).toBeLessThan(40);
    expect(now).toBeGreaterThan(150);
  });
});
