import { findStaff } from "../../../data/repositories/staff.js";
import type { Deps } from "../../context.js";

/** Operators and admins may broadcast; read on every action (a role can be taken away mid-flow). */
export async function mayBroadcast(deps: Deps, userId: number): Promise<boolean> {
  const staff = await findStaff(deps.db, userId, deps.config.adminIds);
  return staff?.role === "operator" || staff?.role === "admin";
}
