import type { Db } from "../../../data/db.js";
import type { RequestRow } from "../../../data/repositories/requests.js";

let seq = 0;

/** A pending request written straight into the database; columns overridable. */
export async function addRequest(db: Db, over: Partial<RequestRow> = {}): Promise<RequestRow> {
  seq += 1;
  return db
    .insertInto("requests")
    .values({
      number: `A-2026-${String(800_000 + seq).padStart(6, "0")}`,
      user_id: 7_000 + seq,
      person_iin: `90010140${String(seq).padStart(4, "0")}`,
      person_birth_date: "1990-01-01",
      for_child: 0,
      applicant_category: "citizen",
      special_category: null,
      region_id: "almaty",
      settlement_id: "almaty",
      clinic_id: "almaty-gp-1",
      ground: "free_choice",
      residence_kind: "registered",
      status: "pending",
      submitted_at: "2026-09-14T05:00:00.000Z",
      decision_due: "2026-09-15",
      effective_from: "2027-01-01",
      outcome_at_submission: "{}",
      locale: "ru",
      decided_by: null,
      decided_at: null,
      reject_reason: null,
      reject_note: null,
      source_key: `helpers:${seq}`,
      ...over,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function clinicCounts(db: Db, id: string): Promise<{ attached: number; capacity: number }> {
  return db.selectFrom("clinics").select(["attached", "capacity"]).where("id", "=", id).executeTakeFirstOrThrow();
}

export async function setClinic(db: Db, id: string, v: { attached: number; capacity: number }): Promise<void> {
  await db.updateTable("clinics").set(v).where("id", "=", id).execute();
}
