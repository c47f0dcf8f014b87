import { parseArgs } from "node:util";
import { CLINIC_ID } from "../../bot/deep-links.js";

export const USAGE = `usage: npm run posters -- (--clinic ID [ID …] | --settlement ID | --all) [--out DIR] [--bot USERNAME]
  --clinic ID       a poster for this clinic (repeat the option or list several ids, or separate them by commas)
  --settlement ID   a poster for every active clinic of this settlement (e.g. almaty)
  --all             a poster for every active clinic
  --out DIR         where the PDFs go, one <clinic id>.pdf each (default var/posters)
  --bot USERNAME    the bot the QR codes open; not needed when BOT_TOKEN is set (its getMe gives the username)
Database: DATABASE_URL (default file:var/emhana.sqlite).`;

export type Selection = { kind: "clinics"; ids: string[] } | { kind: "settlement"; id: string } | { kind: "all" };

export type PosterArgs =
  | { kind: "run"; selection: Selection; out: string; bot: string | undefined }
  | { kind: "help" }
  | { kind: "bad"; problem: string };

export const DEFAULT_OUT = "var/posters";

/** Node's own messages for these are long and name internals: one plain line each instead. */
function problemOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(e.message ?? "")?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return option ? `${option.split(/[ ,]/)[0]} needs a value` : "an option is missing its value";
    default:
      return e.message ?? String(err);
  }
}

export function parsePosterArgs(argv: string[]): PosterArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        clinic: { type: "string", multiple: true },
        settlement: { type: "string", multiple: true },
        all: { type: "boolean", default: false },
        out: { type: "string", multiple: true },
        bot: { type: "string", multiple: true },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    return { kind: "bad", problem: problemOf(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  for (const name of ["settlement", "out", "bot"] as const) {
    if ((values[name]?.length ?? 0) > 1) return { kind: "bad", problem: `--${name} is given more than once` };
  }
  const chosen = [values.clinic ? "--clinic" : "", values.settlement ? "--settlement" : "", values.all ? "--all" : ""];
  const modes = chosen.filter(Boolean);
  if (modes.length === 0) return { kind: "bad", problem: "say which posters: --clinic ID, --settlement ID or --all" };
  if (modes.length > 1) return { kind: "bad", problem: `choose one of ${modes.join(", ")}` };
  if (positionals.length > 0 && !values.clinic) {
    return { kind: "bad", problem: `unexpected argument "${positionals[0]}"` };
  }
  const out = values.out?.[0] ?? DEFAULT_OUT;
  const bot = values.bot?.[0];
  for (const [name, v] of [
    ["--out", out],
    ["--bot", bot],
    ["--settlement", values.settlement?.[0]],
  ] as const) {
    if (v !== undefined && v.trim() === "") return { kind: "bad", problem: `${name} needs a value` };
  }
  if (values.settlement)
    return { kind: "run", selection: { kind: "settlement", id: values.settlement[0] ?? "" }, out, bot };
  if (values.all) return { kind: "run", selection: { kind: "all" }, out, bot };
  const ids = [...(values.clinic ?? []), ...positionals].flatMap((v) => v.split(",")).map((s) => s.trim());
  const bad = ids.find((id) => !CLINIC_ID.test(id));
  if (bad !== undefined) {
    return { kind: "bad", problem: `--clinic: "${bad}" is not a clinic id (letters, digits, - and _, up to 64)` };
  }
  return { kind: "run", selection: { kind: "clinics", ids: [...new Set(ids)] }, out, bot };
}
