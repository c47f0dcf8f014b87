import type { Selectable } from "kysely";
import { z } from "zod";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { StaffRole, StaffTable } from "../schema/staff.js";

export type StaffRow = Selectable<StaffTable>;

export interface StaffMember {
  userId: number;
  role: StaffRole;
  clinicIds: string[] | null;
  settlementId: string | null;
  /** From ADMIN_IDS: an admin that no command can remove. */
  fromConfig: boolean;
}

function toMember(row: StaffRow): StaffMember {
  let clinicIds: string[] | null = null;
  if (row.clinic_ids) {
    try {
      const parsed: unknown = JSON.parse(row.clinic_ids);
      clinicIds = Array.isArray(parsed) ? parsed.map(String) : null;
    } catch {
      clinicIds = [];
    }
  }
  return { userId: row.user_id, role: row.role, clinicIds, settlementId: row.settlement_id, fromConfig: false };
}

// Asked for whoever chooses a language (their menu): compiled once.
const staffRow = precompiled({ userId: "number" }, (db: Db, v: { userId: number }) =>
  db.selectFrom("staff").selectAll().where("user_id", "=", v.userId),
);

/** The role as it is now: read on every staff action, never cached from when a button was drawn. */
export async function findStaff(db: Db, userId: number, adminIds: readonly number[]): Promise<StaffMember | null> {
  if (adminIds.includes(userId))
    return { userId, role: "admin", clinicIds: null, settlementId: null, fromConfig: true };
  const [row] = await staffRow(db, { userId });
  return row ? toMember(row) : null;
}

export async function upsertStaff(
  db: Db,
  m: { userId: number; role: StaffRole; clinicIds: string[] | null; settlementId: string | null },
  by: number,
  at: string,
): Promise<void> {
  const values = {
    role: m.role,
    clinic_ids: m.clinicIds ? JSON.stringify(m.clinicIds) : null,
    settlement_id: m.settlementId,
  };
  await db
    .insertInto("staff")
    .values({ user_id: m.userId, ...values, added_by: by, added_at: at })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
}

export async function removeStaff(db: Db, userId: number): Promise<boolean> {
  const res = await db.deleteFrom("staff").where("user_id", "=", userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function listStaff(db: Db): Promise<StaffMember[]> {
  const rows = await db.selectFrom("staff").selectAll().orderBy("role").orderBy("user_id").execute();
  return rows.map(toMember);
}

export async function staffWithRole(db: Db, role: StaffRole): Promise<number[]> {
  const rows = await db.selectFrom("staff").select("user_id").where("role", "=", role).execute();
  return rows.map((r) => r.user_id);
}

/**
 * Staff display names, as their own Telegram updates (or an admin's forward) gave them, so colleagues see a name
 * instead of a bare id. Staff names are not applicants' personal data, but they still never go to logs.
 */
const StaffNameSchema = z.object({ firstName: z.string().min(1).max(64), username: z.string().max(32).nullable() });
export type StaffName = z.infer<typeof StaffNameSchema>;

export async function staffName(db: Db, userId: number): Promise<StaffName | undefined> {
  const row = await db
    .selectFrom("staff_names")
    .select(["first_name", "username"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? { firstName: row.first_name, username: row.username } : undefined;
}

/** Writes only when the name changed (it is read on every staff action). */
export async function rememberStaffName(
  db: Db,
  userId: number,
  name: { firstName: string; username?: string | null },
  at: string,
): Promise<void> {
  const parsed = StaffNameSchema.safeParse({
    firstName: name.firstName.slice(0, 64),
    username: name.username?.slice(0, 32) ?? null,
  });
  if (!parsed.success) return;
  const { firstName, username } = parsed.data;
  await db
    .insertInto("staff_names")
    .values({ user_id: userId, first_name: firstName, username, updated_at: at })
    .onConflict((oc) =>
      oc
        .column("user_id")
        .doUpdateSet({ first_name: firstName, username, updated_at: at })
        .where((eb) =>
          eb.or([
            eb("staff_names.first_name", "!=", firstName),
            eb("staff_names.username", "is distinct from", username),
          ]),
        ),
    )
    .execute();
}
