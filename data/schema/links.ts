/** Starts by a clinic's deep link, per clinic and Almaty day ("YYYY-MM-DD"): counts only, no one's id. */
export interface LinkStartsTable {
  clinic_id: string;
  day: string;
  n: number;
}

/** The link a person opened before choosing a language (JSON of a validated start link), until they choose it. */
export interface PendingLinksTable {
  user_id: number;
  link: string;
  created_at: string;
}

export interface LinkTables {
  link_starts: LinkStartsTable;
  pending_links: PendingLinksTable;
}
