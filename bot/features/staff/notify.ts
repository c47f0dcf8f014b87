import { z } from "zod";
import { getClinic } from "../../../data/repositories/clinics.js";
import { effectiveDate } from "../../../data/repositories/decisions.js";
import { requestIin, type RequestRow } from "../../../data/repositories/requests.js";
import { getSetting } from "../../../data/repositories/settings.js";
import { getUser } from "../../../data/repositories/users.js";
import { DocumentCodeSchema, maskIin } from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import { type Locale, localeOr, userLocale } from "../../i18n.js";
import { REJECT_REASONS } from "./callbacks.js";

export const CONTACTS_KEY = "support_contacts";
export const ContactsSchema = z.string().min(1).max(500);

/** The applicant's language: their current choice, else their Telegram app's (kk or ru), else the one they applied in. */
export async function applicantLocale(deps: Deps, r: RequestRow): Promise<Locale> {
  return userLocale(await getUser(deps.db, r.user_id), localeOr(r.locale));
}

/** The decision's message in the applicant's language; null for a status that tells them nothing new. */
export async function decisionText(deps: Deps, r: RequestRow, locale: Locale): Promise<string | null> {
  const t = deps.i18n.t(locale);
  const clinic = await getClinic(deps.db, r.clinic_id);
  const clinicName = clinic?.name[locale] ?? r.clinic_id;
  const contacts = await getSetting(deps.db, CONTACTS_KEY, ContactsSchema);
  const parts: string[] = [];
  if (r.status === "approved") {
    // "On the decision" (R8) takes effect the Almaty day it is made (R17).
    const date = effectiveDate(r);
    parts.push(
      t("staff.notify.approved", { number: r.number, clinic: clinicName, date }),
      t("staff.notify.approved_next"),
    );
    // R2: an attachment on insurance ends with the contract.
    if (r.insurance_valid_until) parts.push(t("rules.notes.insurance_term", { date: r.insurance_valid_until }));
  } else if (r.status === "rejected") {
    const code = (REJECT_REASONS as readonly string[]).includes(r.reject_reason ?? "")
      ? (r.reject_reason as string)
      : "other";
    parts.push(t("staff.notify.rejected", { number: r.number, clinic: clinicName }));
    // R14: "other" says the reason is in the reviewer's note, so the note comes right after it (and without a
    // note there is nothing to point to).
    const reason =
      code !== "other" || r.reject_note
        ? [t("staff.notify.reason", { reason: t(`staff.reject_reasons.${code}`) })]
        : [];
    const note = r.reject_note ? [t("staff.notify.note", { note: r.reject_note })] : [];
    if (reason.length + note.length > 0) parts.push([...reason, ...note].join("\n"));
    parts.push(t(`staff.reject_next.${code}`), t("staff.notify.appeal"));
  } else if (r.status === "needs_documents") {
    const asked = DocumentCodeSchema.safeParse(r.reject_note);
    const document = asked.success ? t(`rules.documents.${asked.data}`) : t("staff.notify.any_document");
    parts.push(t("staff.notify.needs_documents", { number: r.number, document }));
  } else {
    return null;
  }
  // Whom it is about (masked): a parent of several children learns which one it is.
  const person = t(r.for_child ? "staff.notify.person_child" : "staff.notify.person_self", {
    person: maskIin(requestIin(deps.vault, r) ?? ""),
  });
  parts.splice(1, 0, person);
  if (contacts) parts.push(t("staff.notify.contacts", { contacts }));
  return parts.join("\n\n");
}

/** The decision notice as it would go out now (the outbox renders it so when it sends it). */
export interface Notice {
  requestId: number;
  chatId: number;
  text: string;
}

export async function prepareNotice(deps: Deps, request: RequestRow): Promise<Notice | null> {
  const text = await decisionText(deps, request, await applicantLocale(deps, request));
  return text === null ? null : { requestId: request.id, chatId: request.user_id, text };
}
