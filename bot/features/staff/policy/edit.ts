import {
  DOCUMENTS,
  DocumentCodeSchema,
  GROUNDS,
  GroundSchema,
  PolicySchema,
  SourceSchema,
  SPECIAL_CATEGORIES,
  SpecialCategorySchema,
  type DocumentCode,
  type Policy,
} from "../../../../rules/index.js";

// One change of a year's policy, as an admin asks for it (a command's words or a button's value): the new policy,
// validated whole by the rules' own schema, or why not. Pure: the caller shows before/after and asks to confirm.

export type EditResult = { ok: true; next: Policy } | { ok: false; problem: string };

/** The document lists an admin can edit: the three of the policy, and each in-person category's own. */
export const DOCUMENT_LISTS = ["child", "in_person", "proof", ...SPECIAL_CATEGORIES] as const;
export type DocumentList = (typeof DOCUMENT_LISTS)[number];

export function documentList(policy: Policy, list: DocumentList): DocumentCode[] {
  const d = policy.documents;
  if (list === "child") return d.child;
  if (list === "in_person") return d.inPerson;
  if (list === "proof") return d.temporaryResidenceProof;
  return d.specialCategories[list] ?? [];
}

function withDocuments(policy: Policy, list: DocumentList, codes: DocumentCode[]): Policy {
  const d = policy.documents;
  const documents =
    list === "child"
      ? { ...d, child: codes }
      : list === "in_person"
        ? { ...d, inPerson: codes }
        : list === "proof"
          ? { ...d, temporaryResidenceProof: codes }
          : { ...d, specialCategories: { ...d.specialCategories, [list]: codes } };
  return { ...policy, documents };
}

const MONTH_DAY = /^(\d{2}-\d{2})(?:\+([01]))?$/;

/** "01-01+1", or "01-01" followed by "+1" / "+0" as the next word: a day and a year offset (0 = the same year). */
function effectiveDay(words: string[]): { monthDay: string; yearOffset: number } | null {
  const m = MONTH_DAY.exec(words[0] ?? "");
  if (!m?.[1]) return null;
  const offsetWord = /^\+([01])$/.exec(words[1] ?? "");
  if (m[2] !== undefined && offsetWord) return null;
  if (words.length > (offsetWord ? 2 : 1)) return null;
  return { monthDay: m[1], yearOffset: Number(m[2] ?? offsetWord?.[1] ?? 1) };
}

function onOff(word: string | undefined): boolean | null {
  if (word === "on" || word === "yes") return true;
  if (word === "off" || word === "no") return false;
  return null;
}

/** Words separated by spaces or commas. */
function codes(words: string[]): string[] {
  return words.flatMap((w) => w.split(",")).filter((w) => w !== "");
}

function wholeNumber(word: string | undefined): number | null {
  return word !== undefined && /^\d{1,3}$/.test(word) ? Number(word) : null;
}

/** The admin's edit as a whole policy, not yet validated. */
function edited(
  policy: Policy,
  field: string,
  words: string[],
  fallbackEffective?: Policy["campaign"],
): Policy | string {
  const [first, ...rest] = words;
  switch (field) {
    case "campaign": {
      if (words.length === 1 && (first === "off" || first === "none")) return { ...policy, campaign: null };
      const [start, end, ...more] = words;
      if (!start || !end || !/^\d{2}-\d{2}$/.test(start) || !/^\d{2}-\d{2}$/.test(end)) return "campaign MM-DD MM-DD";
      const effective = more.length
        ? effectiveDay(more)
        : (policy.campaign?.effectiveFrom ?? fallbackEffective?.effectiveFrom ?? null);
      if (!effective) return "campaign MM-DD MM-DD MM-DD+1";
      return { ...policy, campaign: { start, end, effectiveFrom: effective } };
    }
    case "effective": {
      if (first === "campaign") {
        const day = effectiveDay(rest);
        if (!day) return "effective campaign MM-DD +1";
        if (!policy.campaign) return "no campaign this year: set its dates first";
        return { ...policy, campaign: { ...policy.campaign, effectiveFrom: day } };
      }
      if (first === "outside") {
        if (rest.length === 1 && (rest[0] === "decision" || rest[0] === "on_decision"))
          return { ...policy, effectiveOutsideCampaign: "on_decision" };
        const day = effectiveDay(rest);
        return day ? { ...policy, effectiveOutsideCampaign: day } : "effective outside decision | MM-DD +1";
      }
      return "effective campaign|outside …";
    }
    case "quota": {
      const n = wholeNumber(first);
      return n === null || rest.length ? "quota N" : { ...policy, freeChangesPerYear: n };
    }
    case "counts": {
      const on = onOff(first);
      return on === null || rest.length ? "counts on|off" : { ...policy, campaignCountsTowardQuota: on };
    }
    case "proof": {
      const on = onOff(first);
      return on === null || rest.length ? "proof on|off" : { ...policy, requireProofForTemporaryResidence: on };
    }
    case "grounds": {
      const list = codes(words);
      const bad = list.filter((g) => !GroundSchema.safeParse(g).success);
      if (bad.length) return `unknown grounds: ${bad.join(", ")} (known: ${GROUNDS.join(", ")})`;
      return { ...policy, groundsOutsideCampaign: list as Policy["groundsOutsideCampaign"] };
    }
    case "documents": {
      const list = (DOCUMENT_LISTS as readonly string[]).includes(first ?? "") ? (first as DocumentList) : null;
      if (!list) return `documents LIST code… (lists: ${DOCUMENT_LISTS.join(", ")})`;
      const docs = codes(rest).filter((c) => c !== "none");
      const bad = docs.filter((c) => !DocumentCodeSchema.safeParse(c).success);
      if (bad.length) return `unknown documents: ${bad.join(", ")} (known: ${DOCUMENTS.join(", ")})`;
      return withDocuments(policy, list, docs as DocumentCode[]);
    }
    case "under": {
      if (words.length === 1 && first === "off") return { ...policy, actualResidenceUnderAge: null };
      const n = wholeNumber(first);
      return n === null || rest.length ? "under N|off" : { ...policy, actualResidenceUnderAge: n };
    }
    case "term": {
      const n = wholeNumber(first);
      return n === null || rest.length ? "term N" : { ...policy, decisionWorkingDays: n };
    }
    case "ends":
      return words.length === 1 && first ? { ...policy, workingDayEnds: first } : "ends HH:MM";
    case "status":
      return words.length === 1 && (first === "confirmed" || first === "provisional")
        ? { ...policy, status: first }
        : "status confirmed|provisional";
    case "source": {
      if (first === "add") {
        const [date, ...text] = rest;
        const source = SourceSchema.safeParse({ source: text.join(" "), date });
        if (!source.success) return "source add YYYY-MM-DD text";
        return { ...policy, sources: [...policy.sources, source.data] };
      }
      if (first === "remove") {
        const n = wholeNumber(rest[0]);
        if (n === null || rest.length !== 1 || n < 1 || n > policy.sources.length) return "source remove N";
        return { ...policy, sources: policy.sources.filter((_, i) => i !== n - 1) };
      }
      return "source add YYYY-MM-DD text | source remove N";
    }
    default:
      return `unknown field: ${field}`;
  }
}

/** The fields an admin edits by name (`/settings policy <year> <field> …`). */
export const EDIT_FIELDS = [
  "campaign",
  "effective",
  "quota",
  "counts",
  "grounds",
  "documents",
  "proof",
  "under",
  "term",
  "ends",
  "status",
  "source",
] as const;

/**
 * The policy with one field changed, checked by PolicySchema (the same check as the data files): `fallback`
 * supplies a campaign's effective day when the year has no campaign yet (the nearest year's that has one).
 */
export function applyEdit(policy: Policy, field: string, words: string[], fallback?: Policy["campaign"]): EditResult {
  const next = edited(policy, field, words, fallback);
  if (typeof next === "string") return { ok: false, problem: next };
  const parsed = PolicySchema.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, next: parsed.data };
}

/** A special category's list id, for the button labels. */
export function isCategoryList(list: DocumentList): list is (typeof SPECIAL_CATEGORIES)[number] {
  return SpecialCategorySchema.safeParse(list).success;
}
