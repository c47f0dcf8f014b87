/**
 * Kazakh forms of dates and numbers inside a sentence. A case ending follows the last sound of the word as it is
 * read: vowel harmony picks the vowel (back а/ы, front е/і), the last consonant picks the first letter
 * (assimilation): "1 қыркүйектен", "1 қарашаға дейін", "3-тен", "6-дан", "10-нан", "40-қа".
 */

export type KkCase = "nom" | "gen" | "acc" | "dat" | "loc" | "abl" | "ins";
export type KkNumberForm = Exclude<KkCase, "nom"> | "poss" | "ord";

export const KK_MONTHS = [
  "қаңтар",
  "ақпан",
  "наурыз",
  "сәуір",
  "мамыр",
  "маусым",
  "шілде",
  "тамыз",
  "қыркүйек",
  "қазан",
  "қараша",
  "желтоқсан",
] as const;

const UNITS = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"];
const TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"];

/** The word a number ends with when read aloud: its ending attaches to that word's sounds. */
export function lastSpokenWord(n: number): string {
  const v = Math.abs(Math.trunc(n));
  if (v === 0) return "нөл";
  if (v % 10 !== 0) return UNITS[v % 10] ?? "";
  if (v % 100 !== 0) return TENS[(v / 10) % 10] ?? "";
  if (v % 1000 !== 0) return "жүз";
  if (v % 1_000_000 !== 0) return "мың";
  if (v % 1_000_000_000 !== 0) return "миллион";
  return "миллиард";
}

const BACK: ReadonlySet<string> = new Set([..."аоұыя"]);
const FRONT: ReadonlySet<string> = new Set([..."әеөүіэ"]);
const VOWELS: ReadonlySet<string> = new Set([..."аәеоөұүыіэяюё"]);
const NASALS: ReadonlySet<string> = new Set([..."мнң"]);
/** Sonorants and the voiced з, ж: endings keep their voiced first letter after them (у and и count as consonants). */
const VOICED: ReadonlySet<string> = new Set([..."лрйуизж"]);

/** Back (а, ы) or front (е, і) harmony: the last vowel decides; у, и, ю carry none, so they are skipped. */
export function isBack(word: string): boolean {
  const w = word.toLowerCase();
  for (let i = w.length - 1; i >= 0; i--) {
    const ch = w[i] ?? "";
    if (BACK.has(ch)) return true;
    if (FRONT.has(ch)) return false;
  }
  return true;
}

type Sound = "vowel" | "nasal" | "voiced" | "voiceless";

function lastSound(word: string): Sound {
  const ch = word.toLowerCase().at(-1) ?? "";
  if (VOWELS.has(ch)) return "vowel";
  if (NASALS.has(ch)) return "nasal";
  if (VOICED.has(ch)) return "voiced";
  return "voiceless"; // к қ п с т ш … and б в г д ғ, which are read voiceless at the end of a word
}

/** The ending of a case (or the 3rd-person possessive, or a written ordinal) for a word. */
export function kkEnding(word: string, form: KkNumberForm): string {
  const back = isBack(word);
  const sound = lastSound(word);
  const a = back ? "а" : "е";
  const y = back ? "ы" : "і";
  switch (form) {
    case "gen":
      return `${sound === "vowel" || sound === "nasal" ? "н" : sound === "voiced" ? "д" : "т"}${y}ң`;
    case "acc":
      return `${sound === "vowel" ? "н" : sound === "voiceless" ? "т" : "д"}${y}`;
    case "dat":
      return sound === "voiceless" ? (back ? "қа" : "ке") : back ? "ға" : "ге";
    case "loc":
      return `${sound === "voiceless" ? "т" : "д"}${a}`;
    case "abl":
      return `${sound === "voiceless" ? "т" : sound === "nasal" ? "н" : "д"}${a}н`;
    case "ins":
      return `${sound === "voiceless" ? "п" : "зж".includes(word.at(-1) ?? "") ? "б" : "м"}ен`;
    case "poss":
      return sound === "vowel" ? `с${y}` : y;
    case "ord":
      return back ? "шы" : "ші";
  }
}

/** The number as written in a sentence with its ending after a hyphen: 1-ден, 6-дан, 40-қа, 2-сі, 5-ші. */
export function kkNumber(value: number | string, form: KkNumberForm): string {
  const text = String(value);
  const word = spokenWordOf(text);
  return word === null ? text : `${text}-${kkEnding(word, form)}`;
}

/**
 * The number a written value is read by: its last group of digits ("2,5" by 5; "18:30" by 30), except a time on
 * the hour, read by its hour ("18:00" is "он сегіз").
 */
function spokenWordOf(text: string): string | null {
  const groups = text.match(/\d+/g);
  if (!groups) return null;
  const last = groups.at(-1) ?? "";
  const hour = groups.at(-2);
  const n = /^0+$/.test(last) && hour !== undefined && /\d:00$/.test(text) ? Number(hour) : Number(last);
  return lastSpokenWord(n);
}

/** A calendar day with the month in the case asked: "1 қыркүйектен", "2026 жылғы 1 қаңтарға". */
export function kkDate(year: number, month: number, day: number, form: KkCase, withYear: boolean): string {
  const name = KK_MONTHS[month - 1] ?? "";
  const monthForm = form === "nom" ? name : `${name}${kkEnding(name, form)}`;
  return `${withYear ? `${year} жылғы ` : ""}${day} ${monthForm}`;
}
