import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { saveDraft } from "../../../../data/repositories/drafts.js";
import { ask, pickData, withNav } from "../ask.js";
import type { UploadedDocument } from "../../../application/draft.js";
import type { StepHandler, StepResult } from "../step.js";

const MAX_PAGES = 10;
// "Done" typed instead of pressed, in either language.
const TYPED_DONE = /^(готово|всё|все|дальше|далее|дайын|болды|келесі|done|ok|ок)[.!]?$/i;

/** R11, R12, R2: collects every required document, page by page; each page is saved as it arrives. */
export const documentsStep: StepHandler = async ({ conversation, ctx, draft }) => {
  let c = ctx;
  let documents: UploadedDocument[] = [...draft.documents];
  const required = draft.requiredDocs;
  const list = (t: typeof c.t) => required.map((k) => t(`rules.documents.${k}`)).join("; ");
  let index = 0;
  let lead = "";
  while (index < required.length) {
    const kind = required[index] ?? "";
    const count = documents.filter((d) => d.kind === kind).length;
    const kb = new InlineKeyboard();
    if (count > 0) kb.text(c.t("apply.documents.done"), pickData("documents", "done", index));
    const kindName = c.t(`rules.documents.${kind}`);
    const needOne = c.t("apply.documents.need_one", { kind: kindName });
    const text =
      lead +
      (count > 0
        ? c.t("apply.documents.received", { count, kind: kindName })
        : `${required.length === 1 ? c.t("apply.documents.q_one", { kind: kindName }) : c.t("apply.documents.q", { list: list(c.t), kind: kindName, n: index + 1, total: required.length })}\n${c.t("apply.documents.never_keys")}`);
    const res = await ask(conversation, c, {
      step: "documents",
      text,
      keyboard: withNav(kb, c),
      accept: { file: true },
      // Done only for the document being collected, and once it has a page.
      pick: count > 0 ? z.tuple([z.literal("done"), z.literal(String(index))]) : undefined,
      parseText: (t) => (TYPED_DONE.test(t) ? ["done", String(index)] : null),
      textError: (t) => (TYPED_DONE.test(t) && count === 0 ? needOne : null),
      hint: "apply.hints.file",
    });
    c = res.ctx;
    lead = "";
    const reply = res.reply;
    if (reply.kind === "nav") {
      if (reply.to === "back" && index > 0) {
        index -= 1;
        continue;
      }
      return { kind: reply.to, ctx: c } as StepResult;
    }
    if (reply.kind === "pick") {
      index += 1;
      continue;
    }
    if (reply.kind !== "file") continue;
    if (count >= MAX_PAGES) {
      lead = `${c.t("apply.documents.too_many")}\n\n`;
      continue;
    }
    // The same page sent twice is kept once.
    if (!documents.some((d) => d.fileUniqueId === reply.file.fileUniqueId && d.kind === kind)) {
      documents = [...documents, { ...reply.file, kind }];
      const snapshot = { ...draft, documents };
      await conversation.external(async (o) => {
        await saveDraft(o.deps, o.from?.id ?? 0, snapshot, o.deps.clock.now().toISOString());
      });
    }
  }
  return { kind: "next", patch: { documents }, ctx: c };
};
