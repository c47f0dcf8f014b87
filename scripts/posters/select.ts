import type { Db } from "../../data/db.js";
import { baseQuery, toClinics, type Clinic } from "../../data/repositories/clinic-rows.js";
import type { Selection } from "./args.js";

export type Selected = { ok: true; clinics: Clinic[] } | { ok: false; problem: string };

/** The chosen clinics, inactive ones too (the caller skips them with a note), by id; an unknown id is a problem. */
export async function selectClinics(db: Db, selection: Selection): Promise<Selected> {
  let q = baseQuery(db).orderBy("clinics.id");
  if (selection.kind === "clinics") {
    q = q.where("clinics.id", "in", selection.ids);
  } else if (selection.kind === "settlement") {
    const s = await db.selectFrom("settlements").select("id").where("id", "=", selection.id).executeTakeFirst();
    if (!s)
      return { ok: false, problem: `unknown settlement "${selection.id}" (give its id, such as almaty or astana)` };
    q = q.where("clinics.settlement_id", "=", selection.id);
  }
  const clinics = await toClinics(db, await q.execute());
  if (selection.kind === "clinics") {
    const found = new Set(clinics.map((c) => c.id));
    const missing = selection.ids.filter((id) => !found.has(id));
    if (missing.length) return { ok: false, problem: `unknown clinic ${missing.map((id) => `"${id}"`).join(", ")}` };
    // In the order asked for.
    const order = new Map(selection.ids.map((id, i) => [id, i]));
    clinics.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
  if (clinics.length === 0) {
    return {
      ok: false,
      problem:
        selection.kind === "settlement"
          ? `settlement "${selection.id}" has no clinics in the directory`
          : "the directory has no clinics",
    };
  }
  return { ok: true, clinics };
}
