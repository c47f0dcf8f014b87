import { staffName } from "../../../data/repositories/staff.js";
import type { BaseContext } from "../../context.js";

/** A colleague as staff see them: the first name (and @username) they were last seen with, else "staff #id". */
export async function colleagueName(ctx: Pick<BaseContext, "deps" | "t">, userId: number | null): Promise<string> {
  if (userId === null) return "—";
  const name = await staffName(ctx.deps.db, userId);
  if (!name) return ctx.t("staff.colleague_unknown", { id: userId });
  return name.username ? `${name.firstName} (@${name.username})` : name.firstName;
}
