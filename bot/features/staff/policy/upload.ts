import { Composer } from "grammy";
import { checkRulesFile, type RulesFileProblem } from "../../../../data/datasets/check-rules-file.js";
import { ADMINS, staffCommand } from "../../../access.js";
import type { BaseContext, BotContext } from "../../../context.js";
import { escapeHtml } from "../../../i18n.js";
import { downloadFile, FileTooLarge } from "../../../telegram-files.js";
import { MAX_RULES_FILE_KB, proposeHolidays, proposePolicy, yearOpen } from "./handlers.js";

// An admin sends a year's policy or holiday table as a JSON document: checked whole by checkRulesFile (the same
// check as `npm run policy -- check`), all or nothing; every problem is listed with its line, and a file that
// passes is shown as before/after to confirm. A file too large or not JSON gets one line.

/** Problems listed in one message; the rest are counted. */
const MAX_PROBLEMS = 25;

const isJson = (name: string | undefined, mime: string | undefined) =>
  /\.json$/i.test(name ?? "") || mime === "application/json";

/** "• line 12, days.3.date: …": where the problem is (line, then path), or just the problem for the whole file. */
function problemLine(ctx: BaseContext, p: RulesFileProblem): string {
  const where = [p.line ? ctx.t("policy.admin.file_line", { line: p.line }) : "", escapeHtml(p.path)]
    .filter((s) => s !== "")
    .join(", ");
  const message = escapeHtml(p.message);
  const raw = { interpolation: { escapeValue: false } };
  return where
    ? ctx.t("policy.admin.file_problem", { where, message, ...raw })
    : ctx.t("policy.admin.file_problem_noline", { message, ...raw });
}

export const policyUploadHandlers = new Composer<BotContext>();

policyUploadHandlers.chatType("private").on(
  "message:document",
  staffCommand(ADMINS, async (ctx, admin) => {
    const doc = ctx.message?.document;
    if (!doc) return;
    const maxBytes = MAX_RULES_FILE_KB * 1024;
    if ((doc.file_size ?? 0) > maxBytes)
      return void (await ctx.reply(ctx.t("policy.admin.file_too_big", { kb: MAX_RULES_FILE_KB })));
    if (!isJson(doc.file_name, doc.mime_type)) return void (await ctx.reply(ctx.t("policy.admin.file_not_json")));
    let text: string;
    try {
      text = (await downloadFile(ctx.api, doc.file_id, maxBytes)).toString("utf8");
    } catch (err) {
      if (err instanceof FileTooLarge)
        return void (await ctx.reply(ctx.t("policy.admin.file_too_big", { kb: MAX_RULES_FILE_KB })));
      ctx.log.warn({ error: err instanceof Error ? err.name : "unknown" }, "rules file not downloaded");
      return void (await ctx.reply(ctx.t("policy.admin.file_unreadable")));
    }
    const checked = checkRulesFile(text, { fileName: doc.file_name });
    // The holiday law changes with a release of the bot, not from the chat (every table must follow it).
    if (checked.kind === "holiday_law") return void (await ctx.reply(ctx.t("policy.admin.file_law")));
    if (!checked.ok) {
      const shown = checked.problems.slice(0, MAX_PROBLEMS).map((p) => problemLine(ctx, p));
      const more = checked.problems.length - shown.length;
      if (more > 0) shown.push(ctx.t("policy.admin.file_more", { count: more }));
      return void (await ctx.reply(
        ctx.t("policy.admin.file_refused", {
          name: escapeHtml(doc.file_name ?? ""),
          count: checked.problems.length,
          list: shown.join("\n"),
          interpolation: { escapeValue: false },
        }),
        { parse_mode: "HTML" },
      ));
    }
    if (checked.kind === "policy") {
      if (!(await yearOpen(ctx, checked.policy.year))) return;
      return proposePolicy(ctx, admin.userId, checked.policy.year, checked.policy, "file");
    }
    if (!(await yearOpen(ctx, checked.table.year))) return;
    await proposeHolidays(ctx, admin.userId, checked.table.year, checked.table, "file");
  }),
);
