// The walk through the application to a given step, by buttons, for tests that are about what happens there.
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { apply, buttons, head, L, pressFirstAvailableClinic, tap, untilMatch } from "../../scripts/stack/flow.js";

type Lang = "ru" | "kk";

/** The application's questions in order, as the bot asks them; `filed` is the answer with the request number. */
const STEPS = [
  "who",
  "category",
  "insurance",
  "iin",
  "region",
  "clinic",
  "ground",
  "residence",
  "documents",
  "summary",
  "filed",
] as const;
export type Step = (typeof STEPS)[number];

/** How each question on the way is answered; the defaults are a citizen applying for themself in Almaty. */
export interface Walk {
  lang?: Lang;
  /** Applying for a child (default: for oneself). */
  forChild?: boolean;
  /** A key of apply.category.options (default "citizen"). */
  category?: string;
  /** The insured categories' contract (R2): walked through only when given. */
  insurance?: { kind: "voluntary" | "compulsory"; until: string };
  /** Needed to walk past the IIN question. */
  iin?: string;
  /** The region's button, then a settlement's when the region has several (default: the city of Almaty). */
  place?: string | [region: string, settlement: string];
  /** A clinic's button, typed as a search first when it is not on the first page (default: the first available). */
  clinic?: string | { search: string; name: string };
  /** A key of rules.grounds (default "free_choice"). */
  ground?: string;
  residence?: "registered" | "temporary";
  /** Documents to send past the documents step, one photo each (default none: the step must not be asked). */
  documents?: number;
  /** The step whose question is already asked or on its way: no /apply, the walk answers from there. */
  from?: Step;
}

/** A locale string's first line without its tags, up to its first {{variable}}: what the question's text starts with. */
function firstLine(lang: Lang, key: string): string {
  return (
    L(lang, key)
      .replace(/<[^>]+>/g, "")
      .split(/\n|\{\{/)[0] ?? ""
  ).trim();
}

/** Whether a bot message is the question of this step. */
function isQuestion(step: Step, walk: Walk, lang: Lang): (m: StoredMessage) => boolean {
  const text = (fragment: string) => (m: StoredMessage) => (m.text ?? "").includes(fragment);
  const self = walk.forChild ? "child" : "self";
  switch (step) {
    case "who":
      return text(firstLine(lang, "apply.who.q"));
    case "category":
      return text(firstLine(lang, `apply.category.q_${self}`));
    case "insurance":
      return text(firstLine(lang, "apply.insurance.kind_q"));
    case "iin":
      return text(firstLine(lang, `apply.iin.q_${self}`));
    case "region":
      return text(firstLine(lang, "apply.place.region_q"));
    case "clinic": {
      // Its first line names the settlement; the list's own buttons say which list it is.
      const lists = [L(lang, "apply.clinic.nearest_button"), L(lang, "apply.clinic.list_button")];
      return (m) => buttons(m).some((b) => lists.includes(b));
    }
    case "ground":
      return text(firstLine(lang, "apply.ground.q"));
    case "residence":
      return text(firstLine(lang, "apply.residence.q"));
    case "documents":
      return text(firstLine(lang, "apply.documents.q"));
    case "summary":
      return text(firstLine(lang, "apply.summary.title"));
    case "filed":
      return (m) =>
        /A-\d{4}-\d{6}/.test(m.text ?? "") && (m.text ?? "").startsWith(head(lang, "apply.result.accepted"));
  }
}

/** Answers one question as the walk says. */
async function answer(u: ScriptedUser, step: Step, walk: Walk, lang: Lang): Promise<void> {
  switch (step) {
    case "who":
      return tap(u, L(lang, walk.forChild ? "apply.who.child" : "apply.who.self"));
    case "category":
      return tap(u, L(lang, `apply.category.options.${walk.category ?? "citizen"}`));
    case "insurance":
      if (!walk.insurance) return;
      await tap(u, L(lang, `apply.insurance.kinds.${walk.insurance.kind}`));
      u.send(walk.insurance.until);
      return;
    case "iin":
      if (walk.iin === undefined) throw new Error("walkTo: an iin is needed to walk past the IIN question");
      u.send(walk.iin);
      return;
    case "region": {
      const [region, settlement] =
        typeof walk.place === "string" ? [walk.place] : (walk.place ?? [lang === "ru" ? "Алматы" : "Алматы қаласы"]);
      await tap(u, region);
      if (settlement !== undefined) await tap(u, settlement);
      return;
    }
    case "clinic":
      if (walk.clinic === undefined) {
        await pressFirstAvailableClinic(u, lang);
        return;
      }
      if (typeof walk.clinic === "string") return tap(u, walk.clinic);
      u.send(walk.clinic.search);
      return tap(u, walk.clinic.name);
    case "ground":
      return tap(u, L(lang, `rules.grounds.${walk.ground ?? "free_choice"}.title`));
    case "residence":
      return tap(u, L(lang, `apply.residence.${walk.residence ?? "registered"}`));
    case "documents": {
      const done = L(lang, "apply.documents.done");
      for (let i = 0; i < (walk.documents ?? 0); i++) {
        const before = u.messages().length;
        u.sendPhoto();
        // The next document's question (or the summary) follows the press: wait for a Done shown after the photo.
        await u.waitFor((m) => u.messages().indexOf(m) >= before && buttons(m).includes(done));
        await u.press(done).answer();
      }
      return;
    }
    case "summary":
      return tap(u, L(lang, "apply.summary.confirm"));
    case "filed":
      return;
  }
}

/**
 * Walks a person (language already chosen) through the application by buttons: /apply (unless `walk.from`; the
 * privacy notice agreed to when shown), every
 * question before `step` answered as `walk` says. Resolves with `step`'s question once it is asked ("filed": the
 * answer with the request number); later `until` calls look after it.
 */
export async function walkTo(u: ScriptedUser, step: Step, walk: Walk = {}): Promise<StoredMessage> {
  const lang = walk.lang ?? "ru";
  if (walk.from === undefined) await apply(u, lang);
  for (let i = STEPS.indexOf(walk.from ?? "who"); i < STEPS.indexOf(step); i++) {
    await answer(u, STEPS[i] ?? "filed", walk, lang);
  }
  return untilMatch(u, isQuestion(step, walk, lang));
}
