import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import type { Feature } from "../../feature.js";
import { conversationPlugins } from "../../middleware/conversation-plugins.js";
import { adminHandlers } from "./admin.js";
import { askDocCb, cardCb, noteCb, queueCb, rejectCb, roleCb } from "./callbacks.js";
import { registerStaffMenu, roleGate, STAFF_COMMANDS } from "./commands.js";
import { decideHandlers, REJECT_NOTE_ID, rejectNoteConversation } from "./decide.js";
import { exportHandlers } from "./export.js";
import { findHandlers } from "./find.js";
import { qrHandlers } from "./qr.js";
import { reviewHandlers } from "./review.js";
import { policyButtons } from "./policy/handlers.js";
import { policyCb } from "./policy/keyboards.js";
import { policyUploadHandlers } from "./policy/upload.js";
import { settingsHandlers } from "./settings.js";
import { statsHandlers } from "./stats.js";
import { uploadHandlers } from "./uploads.js";
import { staffNotices } from "./notices.js";

/**
 * Support staff. Every handler checks the role and scope when it runs (bot/access.ts); to anyone who is not staff
 * the commands do not exist and fall through to the fallback; staff without the role are told so (roleGate).
 */
function handlers(deps: Deps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.use(roleGate(deps.commands.staffCommands()));
  c.use(
    reviewHandlers,
    decideHandlers,
    findHandlers,
    statsHandlers,
    exportHandlers,
    qrHandlers,
    adminHandlers,
    settingsHandlers,
  );
  c.use(policyButtons);
  // Applicants' files for a request in "needs documents"; everyone else's files go on: an admin's is a rules file.
  c.use(uploadHandlers, policyUploadHandlers);
  return c;
}

/**
 * Installed right after the application conversation, before the features: the "other reason" conversation, and
 * the staff menu of an ADMIN_IDS admin refreshed on /start (which the start feature then answers as usual).
 */
function conversations(deps: Deps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.use(
    createConversation<BotContext, BaseContext>(rejectNoteConversation, {
      id: REJECT_NOTE_ID,
      plugins: conversationPlugins(deps),
      // An unanswered prompt ends with the next update after an hour; pressing the reason again starts over.
      maxMillisecondsToWait: 3600_000,
    }),
  );
  c.chatType("private").command("start", async (ctx, next) => {
    if (deps.config.adminIds.includes(ctx.from.id)) {
      await registerStaffMenu(ctx.api, deps, ctx.from.id, {
        userId: ctx.from.id,
        role: "admin",
        clinicIds: null,
        settlementId: null,
        fromConfig: true,
      });
    }
    await next();
  });
  return c;
}

export const staffFeature: Feature = {
  name: "staff",
  conversations,
  handlers,
  commands: STAFF_COMMANDS,
  callbacks: [queueCb, cardCb, rejectCb, askDocCb, roleCb, noteCb, policyCb],
  notices: staffNotices,
};
