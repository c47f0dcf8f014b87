import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Db } from "../db.js";
import { contractsOf } from "../repositories/clinic-rows.js";
import { registryColumns, upsertClinic, type ClinicInput } from "../repositories/clinics.js";
import { insideKazakhstan } from "../repositories/places.js";
import { PROVIDER_KINDS } from "../schema/directory.js";
import { syncShippedPlaces, type PlaceSyncCounts } from "./sync-places.js";

/** Facts of a real shipped clinic that come from public sources (the rest is illustrative). */
export const REAL_FACTS = ["name", "address", "district", "attached"] as const;
export type RealFact = (typeof REAL_FACTS)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lower-case latin letters, digits and dashes");
const bilingual = z.object({ ru: z.string().trim().min(1), kk: z.string().trim().min(1) });
const atuCode = z.string().regex(/^\d{9}$/, "9 digits");
const point = { lat: z.number(), lon: z.number() };
const inKz = (p: { lat: number; lon: number }) => insideKazakhstan(p.lat, p.lon);

const settlementSchema = z
  .object({
    id,
    kind: z.enum(["city", "district_centre", "village"]),
    name: bilingual,
    atuCode,
    ...point,
    districts: z.array(z.object({ id, name: bilingual })).optional(),
  })
  .refine(inKz, "coordinates outside Kazakhstan");

const regionSchema = z
  .object({
    id,
    kind: z.enum(["oblast", "city"]),
    name: bilingual,
    atuCode,
    centre: id,
    settlements: z.array(settlementSchema).min(1),
  })
  .refine((r) => r.settlements.some((s) => s.id === r.centre), "centre is not one of the region's settlements");

export const placesFileSchema = z.object({ note: z.string(), regions: z.array(regionSchema).min(1) });

export const clinicEntrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][\w-]{0,63}$/),
    /** true: invented altogether (name and address too); false: a real clinic named in the press. */
    sample: z.boolean(),
    /** Shipped figures (capacity, counts, contract, licence, coordinates) are never the registry's. */
    figures: z.literal("illustrative"),
    /** For a real clinic: which of its facts are real. */
    realFacts: z.array(z.enum(REAL_FACTS)).min(1).optional(),
    name: bilingual,
    address: bilingual,
    settlement: id,
    district: id.nullable(),
    ...point,
    phone: z.string().regex(/^\+7\d{10}$/).nullable(),
    hours: bilingual.nullable(),
    kind: z.enum(["adult", "children", "mixed", "family"]),
    /** R5: a medical organisation (the default) or, from 2027, a private practitioner. */
    provider: z.enum(PROVIDER_KINDS).default("organisation"),
    licensed: z.boolean(),
    licenceNumber: z.string().min(1).nullable(),
    contractYears: z.array(z.number().int().min(2000).max(2100)),
    capacity: z.number().int().min(0),
    attached: z.number().int().min(0),
    active: z.boolean(),
    note: z.string().optional(),
  })
  .refine(inKz, "coordinates outside Kazakhstan")
  .refine((c) => c.sample === (c.realFacts === undefined), "a real clinic (sample: false) says its realFacts; an invented one has none");

export const clinicsFileSchema = z.object({ note: z.string(), clinics: z.array(clinicEntrySchema).min(1) });

export type PlacesFile = z.infer<typeof placesFileSchema>;

// module-state: the shipped dataset, read once on first use; it never changes while the bot runs.
let shippedFacts: Map<string, { sample: boolean; realFacts: RealFact[] }> | undefined;

/**
 * What the shipped dataset says of each of its clinics: invented, or real with these facts real. The database
 * only knows "not from the registry"; the clinic card reads this to say which facts it may trust.
 */
export function shippedClinicFacts(): ReadonlyMap<string, { sample: boolean; realFacts: RealFact[] }> {
  shippedFacts ??= new Map(readShippedDirectory().clinics.clinics.map((c) => [c.id, { sample: c.sample, realFacts: c.realFacts ?? [] }]));
  return shippedFacts;
}
export type ClinicsFile = z.infer<typeof clinicsFileSchema>;

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8"));
}

/** The shipped files, validated; throws with zod's message on a broken file. */
export function readShippedDirectory(): { places: PlacesFile; clinics: ClinicsFile } {
  return { places: placesFileSchema.parse(readJson("places.json")), clinics: clinicsFileSchema.parse(readJson("clinics.json")) };
}

export interface SeedCounts {
  regions: number;
  settlements: number;
  districts: number;
  clinics: number;
}

/** Writes places and clinics in the caller's transaction; cross-references are checked before any write. */
export async function writeDirectory(db: Db, places: PlacesFile, clinics: ClinicsFile, now: string): Promise<SeedCounts> {
  const districtsOf = new Map<string, Set<string>>();
  for (const r of places.regions) for (const s of r.settlements) districtsOf.set(s.id, new Set((s.districts ?? []).map((d) => d.id)));
  for (const c of clinics.clinics) {
    const districts = districtsOf.get(c.settlement);
    if (!districts) throw new Error(`clinic ${c.id}: unknown settlement ${c.settlement}`);
    if (c.district !== null && !districts.has(c.district)) throw new Error(`clinic ${c.id}: district ${c.district} is not in ${c.settlement}`);
  }
  const counts: SeedCounts = { regions: 0, settlements: 0, districts: 0, clinics: 0 };
  // Into an empty directory every shipped place is new: the sync writes them all, parents first.
  const placed = await syncShippedPlaces(db, places);
  if (placed.updated || placed.unchanged) throw new Error("writeDirectory needs an empty directory");
  counts.regions = places.regions.length;
  for (const r of places.regions) {
    counts.settlements += r.settlements.length;
    for (const s of r.settlements) counts.districts += s.districts?.length ?? 0;
  }
  for (const c of clinics.clinics) {
    await upsertClinic(db, shippedInput(c), now);
    counts.clinics++;
  }
  return counts;
}

/**
 * First start: loads the shipped directory in one transaction when there are no regions yet.
 * Returns the counts written, or null when the directory was already there.
 */
export async function seedDirectoryIfEmpty(db: Db, now: Date = new Date()): Promise<SeedCounts | null> {
  const files = readShippedDirectory();
  return db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom("regions").select("id").limit(1).executeTakeFirst();
    if (any) return null;
    return writeDirectory(trx, files.places, files.clinics, now.toISOString());
  });
}

type ClinicEntry = ClinicsFile["clinics"][number];

/** A shipped entry as the loader writes it. */
function shippedInput(c: ClinicEntry): ClinicInput {
  return {
    id: c.id,
    bin: null,
    name: c.name,
    address: c.address,
    settlementId: c.settlement,
    districtId: c.district,
    lat: c.lat,
    lon: c.lon,
    phone: c.phone,
    hours: c.hours,
    kind: c.kind,
    provider: c.provider,
    licensed: c.licensed,
    licenceNumber: c.licenceNumber,
    contractYears: c.contractYears,
    capacity: c.capacity,
    attached: c.attached,
    active: c.active,
    // The column means "not from the official registry": real clinics shipped here too, their figures are not.
    sample: c.figures === "illustrative",
  };
}

/**
 * A database seeded before clinics.json said `figures` stored sample = 0 for the real clinics named in the press, so their
 * cards claimed registry figures. A row an import never wrote is told apart by its content: an import writes the
 * registry's name, address, capacity, contract years… (and usually a BIN), so a row still holding exactly what its
 * shipped entry writes came from the dataset. Left out of the comparison: the attached count (approvals move it)
 * and `active` (a full import deactivates shipped rows it lacks, their figures stay the shipped ones). Idempotent:
 * only rows with sample = 0 are touched; returns how many were relabelled.
 */
export async function relabelShippedClinics(db: Db, clinics: ClinicsFile, now: string): Promise<number> {
  const shipped = new Map(clinics.clinics.map((c) => [c.id, c]));
  const candidates = (await db.selectFrom("clinics").selectAll().where("sample", "=", 0).execute()).filter((r) => shipped.has(r.id));
  if (candidates.length === 0) return 0;
  const years = await contractsOf(db, candidates.map((r) => r.id));
  let relabelled = 0;
  for (const row of candidates) {
    const entry = shipped.get(row.id);
    if (!entry) continue;
    const want = registryColumns(shippedInput(entry));
    const same = (Object.keys(want) as (keyof typeof want)[]).every((k) => row[k] === want[k]);
    const shippedYears = [...new Set(entry.contractYears)].sort((a, b) => a - b).join(",");
    if (!same || (years.get(row.id) ?? []).join(",") !== shippedYears) continue;
    await db.updateTable("clinics").set({ sample: 1, updated_at: now }).where("id", "=", row.id).where("sample", "=", 0).execute();
    relabelled++;
  }
  return relabelled;
}

/**
 * Start-up (the bot and the importer): an empty database gets the whole shipped directory; an existing one gets the
 * shipped places brought up to date (a settlement added to places.json reaches it) and shipped clinics no import
 * has written labelled illustrative (relabelShippedClinics), while the clinics stay as the registry import left
 * them. One transaction.
 */
export async function loadShippedDirectory(
  db: Db,
  now: Date = new Date(),
): Promise<{ seeded: SeedCounts | null; places: PlaceSyncCounts | null; clinicsRelabelled: number }> {
  const files = readShippedDirectory();
  return db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom("regions").select("id").limit(1).executeTakeFirst();
    if (!any) return { seeded: await writeDirectory(trx, files.places, files.clinics, now.toISOString()), places: null, clinicsRelabelled: 0 };
    const places = await syncShippedPlaces(trx, files.places);
    return { seeded: null, places, clinicsRelabelled: await relabelShippedClinics(trx, files.clinics, now.toISOString()) };
  });
}
