import type { Db } from "../../../data/db.js";

/** A pending request written straight into the database; columns overridable. */
export { insertRequest as addRequest } from "../../fixtures/requests.js";

export async function clinicCounts(db: Db, id: string): Promise<{ attached: number; capacity: number }> {
  return db.selectFrom("clinics").select(["attached", "capacity"]).where("id", "=", id).executeTakeFirstOrThrow();
}

export async function setClinic(db: Db, id: string, v: { attached: number; capacity: number }): Promise<void> {
  await db.updateTable("clinics").set(v).where("id", "=", id).execute();
}
