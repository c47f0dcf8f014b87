import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { pickData, withNav } from "../ask.js";
import { defineStep } from "../step.js";

const DONE_PICK = z.tuple([z.literal("done"), z.string().regex(/^\d{1,2}$/)]);

const MAX_PAGES = 10;
// "Done" typed instead of pressed, in either language.
const TYPED_DONE = /^(готово|всё|все|дальше|далее|дайын|болды|келесі|done|ok|ок)[.!]?$/i;

const DOCUMENTS_VIEW = z.object({
  /** Which of the required documents is being collected. */
  index: z.number().int().min(0).max(10).default(0),
  tooMany: z.boolean().default(false),
});

/** R11, R12, R2: collects every required document, page by page; each page is kept in the draft as it arrives. */
export const documentsStep = defineStep({
  view: DOCUMENTS_VIEW,
  async question({ ctx, draft, view }) {
    const required = draft.requiredDocs;
    const { index } = view;
    const kind = required[index] ?? "";
    const count = draft.documents.filter((d) => d.kind === kind).length;
    const kb = new InlineKeyboard();
    if (count > 0) kb.text(ctx.t("apply.documents.done"), pickData("documents", "done", index));
    const kindName = ctx.t(`rules.documents.${kind}`);
    const needOne = ctx.t("apply.documents.need_one", { kind: kindName });
    const list = required.map((k) => ctx.t(`rules.documents.${k}`)).join("; ");
    const ask =
      required.length === 1
        ? ctx.t("apply.documents.q_one", { kind: kindName })
        : ctx.t("apply.documents.q", { list, kind: kindName, n: index + 1, total: required.length });
    const lead = view.tooMany ? `${ctx.t("apply.documents.too_many")}\n\n` : "";
    return {
      step: "documents",
      text:
        lead +
        (count > 0
          ? ctx.t("apply.documents.received", { count, kind: kindName })
          : `${ask}\n${ctx.t("apply.documents.never_keys")}`),
      keyboard: withNav(kb, ctx),
      accept: { file: true },
      // Done only for the document being collected, and once it has a page.
      pick: DONE_PICK,
      offered: ([, i]) => count > 0 && i === String(index),
      parseText: (t) => (TYPED_DONE.test(t) ? ["done", String(index)] : null),
      textError: (t) => (TYPED_DONE.test(t) && count === 0 ? needOne : null),
      hint: "apply.hints.file",
    };
  },
  async answer({ draft, view }, reply) {
    const { index } = view;
    const kind = draft.requiredDocs[index] ?? "";
    if (reply.kind === "nav") {
      if (reply.to === "back" && index > 0) return { kind: "again", view: { index: index - 1, tooMany: false } };
      return { kind: reply.to };
    }
    if (reply.kind === "pick") {
      if (index + 1 < draft.requiredDocs.length) return { kind: "again", view: { index: index + 1, tooMany: false } };
      return { kind: "next", patch: { documents: draft.documents } };
    }
    if (reply.kind !== "file") return { kind: "again", view: { index, tooMany: false } };
    const pages = draft.documents.filter((d) => d.kind === kind);
    if (pages.length >= MAX_PAGES) return { kind: "again", view: { index, tooMany: true } };
    // The same page sent twice is kept once.
    if (pages.some((d) => d.fileUniqueId === reply.file.fileUniqueId))
      return { kind: "again", view: { index, tooMany: false } };
    return {
      kind: "again",
      view: { index, tooMany: false },
      patch: { documents: [...draft.documents, { ...reply.file, kind }] },
    };
  },
});
