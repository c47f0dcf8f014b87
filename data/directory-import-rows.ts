import { z } from "zod";
import { iinCheckDigit } from "../rules/index.js";
import { insideKazakhstan } from "./repositories/places.js";
import { PROVIDER_KINDS } from "./schema/directory.js";

// The registry's columns (docs/clinic-import.md) and the check of one row.

export const COLUMNS = [
  "id",
  "bin",
  "name_ru",
  "name_kk",
  "address_ru",
  "address_kk",
  "settlement",
  "district",
  "lat",
  "lon",
  "phone",
  "hours_ru",
  "hours_kk",
  "kind",
  "provider",
  "licensed",
  "licence_number",
  "fund_contract_years",
  "capacity",
  "attached",
  "active",
] as const;
export const REQUIRED_COLUMNS = ["settlement", "lat", "lon", "licensed", "capacity"];
export const CONTRACT_COLUMN = /^fund_contract_(\d{4})$/;

export const YES: ReadonlySet<string> = new Set(["1", "yes", "y", "true", "да", "д", "иә", "иа", "ия", "+"]);
const NO: ReadonlySet<string> = new Set(["0", "no", "n", "false", "нет", "н", "жоқ", "жок", "-"]);

/** A 12-digit BIN with the IIN/BIN check digit (the rules' own algorithm, R18). */
export function validBin(bin: string): boolean {
  if (!/^\d{12}$/.test(bin)) return false;
  const d = [...bin].map(Number);
  return iinCheckDigit(d.slice(0, 11)) === d[11];
}

const opt = z.string().transform((s) => (s === "" ? null : s));
const yesNo = (dflt?: boolean) =>
  z.string().transform((s, ctx) => {
    const v = s.toLowerCase();
    if (v === "" && dflt !== undefined) return dflt;
    if (YES.has(v)) return true;
    if (NO.has(v)) return false;
    ctx.addIssue({ code: "custom", message: `"${s}" is not yes/no (да/нет, иә/жоқ, 1/0)` });
    return z.NEVER;
  });
const num = (what: string) =>
  z.string().transform((s, ctx) => {
    const n = s === "" ? NaN : Number(s.replace(",", ".").replace(/\s/g, ""));
    if (Number.isFinite(n)) return n;
    ctx.addIssue({ code: "custom", message: s === "" ? "is empty" : `"${s}" is not ${what}` });
    return z.NEVER;
  });
const count = (what: string) => num(what).refine((n) => Number.isInteger(n) && n >= 0, `must be a whole number ≥ 0`);
const phone = opt.transform((s, ctx) => {
  if (s === null) return null;
  const out: string[] = [];
  for (const part of s.split(/[,;]/)) {
    const digits = part.replace(/[\s()+-]/g, "");
    const national = /^[78]\d{10}$/.test(digits) ? digits.slice(1) : digits;
    if (!/^\d{10}$/.test(national)) {
      ctx.addIssue({ code: "custom", message: `"${part.trim()}" is not a Kazakhstan number (+7 and 10 digits)` });
      return z.NEVER;
    }
    out.push(`+7${national}`);
  }
  return out.join(", ");
});

export const rowSchema = z
  .object({
    id: opt.refine((s) => s === null || /^[A-Za-z0-9][\w-]{0,63}$/.test(s), "letters, digits, - and _ only (≤ 64)"),
    bin: opt.refine((s) => s === null || validBin(s), "not a valid 12-digit BIN (check digit)"),
    name_ru: opt,
    name_kk: opt,
    address_ru: opt,
    address_kk: opt,
    settlement: z.string().min(1, "is empty"),
    district: opt,
    lat: num("a number").refine((n) => n >= -90 && n <= 90, "must be between -90 and 90"),
    lon: num("a number").refine((n) => n >= -180 && n <= 180, "must be between -180 and 180"),
    phone,
    hours_ru: opt,
    hours_kk: opt,
    kind: z.string().transform((s, ctx) => {
      const v = s.toLowerCase() || "mixed";
      if (v === "adult" || v === "children" || v === "mixed" || v === "family") return v;
      ctx.addIssue({ code: "custom", message: `"${s}" is not one of adult, children, mixed, family` });
      return z.NEVER;
    }),
    provider: z.string().transform((s, ctx) => {
      const v = s.toLowerCase() || "organisation";
      const kind = PROVIDER_KINDS.find((k) => k === v);
      if (kind) return kind;
      ctx.addIssue({ code: "custom", message: `"${s}" is not one of ${PROVIDER_KINDS.join(", ")}` });
      return z.NEVER;
    }),
    licensed: yesNo(),
    licence_number: opt,
    fund_contract_years: z.string().transform((s, ctx) => {
      const years = s.split(/[;,\s]+/).filter((y) => y !== "");
      if (years.every((y) => /^20\d\d$/.test(y))) return years.map(Number);
      ctx.addIssue({ code: "custom", message: `"${s}" is not a list of years like 2026;2027` });
      return z.NEVER;
    }),
    capacity: count("a number"),
    attached: opt.pipe(z.union([z.null(), count("a number")])),
    active: yesNo(true),
  })
  .superRefine((r, ctx) => {
    if (!insideKazakhstan(r.lat, r.lon))
      ctx.addIssue({
        code: "custom",
        path: ["lat"],
        message: `${r.lat}, ${r.lon} is outside Kazakhstan (swapped lat/lon?)`,
      });
  });

/** Checks across columns, on the raw values so they are reported together with the column errors. */
export function pairIssues(v: Record<string, string>): string[] {
  const out: string[] = [];
  if (!v.id && !v.bin) out.push("id: id and bin are both empty");
  if (!v.name_ru && !v.name_kk) out.push("name_ru: the name is empty (name_ru and name_kk)");
  if (!v.address_ru && !v.address_kk) out.push("address_ru: the address is empty (address_ru and address_kk)");
  return out;
}
export type ImportRow = z.output<typeof rowSchema>;
