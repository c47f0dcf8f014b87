import type { Generated } from "kysely";

export type RegionKind = "oblast" | "city"; // city = a city of republican significance
export type SettlementKind = "city" | "district_centre" | "village";
export type ClinicKind = "adult" | "children" | "mixed" | "family";
/** R5: who provides primary care: a medical organisation, or (from 2027, Order № 109) a private practitioner. */
export const PROVIDER_KINDS = ["organisation", "private_practitioner"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface RegionsTable {
  id: string;
  kind: RegionKind;
  name_ru: string;
  name_kk: string;
  atu_code: string;
  /** The region's centre (a settlements.id); no foreign key because the two tables refer to each other. */
  centre_id: string | null;
  sort_order: number;
}

export interface SettlementsTable {
  id: string;
  region_id: string;
  kind: SettlementKind;
  name_ru: string;
  name_kk: string;
  /** 9-digit KATO-style code of the administrative-territorial unit (R4: free choice inside one ATU). */
  atu_code: string;
  lat: number | null;
  lon: number | null;
  /** Folded text for search (see foldForSearch). */
  search: string;
  sort_ru: string;
  sort_kk: string;
}

/** Districts of the big cities. */
export interface DistrictsTable {
  id: string;
  settlement_id: string;
  name_ru: string;
  name_kk: string;
  sort_order: number;
}

export interface ClinicsTable {
  /** Internal integer key: FTS5 and R*Tree rows point at it (a text key's implicit rowid can change on VACUUM). */
  seq: Generated<number>;
  /** Stable id: the BIN where known; requests point at it. */
  id: string;
  bin: string | null;
  name_ru: string;
  name_kk: string;
  address_ru: string;
  address_kk: string;
  settlement_id: string;
  district_id: string | null;
  lat: number;
  lon: number;
  phone: string | null;
  hours_ru: string | null;
  hours_kk: string | null;
  kind: ClinicKind;
  /** R5: a medical organisation or a private practitioner (migration 0010; earlier rows are organisations). */
  provider_kind: ProviderKind;
  licensed: number; // 0/1, PMSP licence (R5)
  licence_number: string | null;
  capacity: number; // attached-population limit (R6)
  attached: number;
  active: number; // 0/1; clinics are never deleted, requests point at them
  sample: number; // 1 = illustrative entry from the shipped dataset, not the official registry
  search: string;
  sort_ru: string;
  sort_kk: string;
  updated_at: string;
}

/** Years for which the clinic has a contract with the Fund (R5). */
export interface ClinicContractsTable {
  clinic_id: string;
  year: number;
}

/** FTS5 trigram index over clinics.search; rowid = clinics.seq. Kept in sync by triggers. */
export interface ClinicsFtsTable {
  rowid: number;
  search: string;
}

/** R*Tree over clinic points; id = clinics.seq. Kept in sync by triggers. */
export interface ClinicsGeoTable {
  id: number;
  min_lat: number;
  max_lat: number;
  min_lon: number;
  max_lon: number;
}

export interface DirectoryTables {
  regions: RegionsTable;
  settlements: SettlementsTable;
  districts: DistrictsTable;
  clinics: ClinicsTable;
  clinic_contracts: ClinicContractsTable;
  clinics_fts: ClinicsFtsTable;
  clinics_geo: ClinicsGeoTable;
  import_staging: ImportStagingTable;
}

/** What one registry import row does to clinics (migration 0014); "named": an id on a rejected row. */
export type StagedChange = "added" | "updated" | "unchanged" | "named";

/** Rows of a registry import in progress, applied to clinics in one short final step (migration 0014). */
export interface ImportStagingTable {
  import_id: string;
  id: string;
  line: number;
  change: StagedChange;
  bin: string | null;
  name_ru: string | null;
  name_kk: string | null;
  address_ru: string | null;
  address_kk: string | null;
  settlement_id: string | null;
  district_id: string | null;
  lat: number | null;
  lon: number | null;
  phone: string | null;
  hours_ru: string | null;
  hours_kk: string | null;
  kind: ClinicKind | null;
  provider_kind: ProviderKind | null;
  licensed: number | null;
  licence_number: string | null;
  capacity: number | null;
  /** Null: the file gave none, keep the stored count (approvals move it meanwhile). */
  attached: number | null;
  active: number | null;
  search: string | null;
  sort_ru: string | null;
  sort_kk: string | null;
  /** JSON array of years. */
  contract_years: string | null;
}
