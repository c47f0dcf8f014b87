import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { ChatLocks } from "../data/pg-locks.js";
import type { Db } from "../data/db.js";
import type { GroupCommit } from "../data/group-commit.js";
import type { PinnedReads, SharedReads } from "../data/shared-reads.js";
import type { ActiveUnits, UnitOfWork } from "../data/unit-of-work.js";
import type { Vault } from "../data/vault.js";
import type { UserRow } from "../data/repositories/users.js";
import type { CallbackRegistry } from "./callback-data.js";
import type { Clock } from "./clock.js";
import type { CommandRegistry } from "./commands.js";
import type { Config } from "./config.js";
import type { I18n, Locale, T } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { NoticeRegistry, OutboxWake } from "./outbox.js";
import type { RulesService } from "./rules-service.js";
import type { BroadcastWake, SchedulerWake, SendBudget } from "./send-budget.js";
import type { ApplicantContacts } from "./ui/applicant-contacts.js";

/** The services a bot is built on: made in main (or a test) and completed by createDeps. */
export interface CoreDeps {
  db: Db;
  /** The data key: seals and opens personal data, computes IIN lookups (data/vault.ts). */
  vault: Vault;
  config: Pick<Config, "adminIds" | "broadcastRate" | "rateLimitPerMinute">;
  clock: Clock;
  log: Logger;
  i18n: I18n;
  rules: RulesService;
  /** PostgreSQL with several instances: a chat's updates run one at a time across all of them. */
  chatLocks?: ChatLocks;
}

/** What every handler and worker may use, one object per bot (createDeps): no run-time state lives in modules. */
export interface Deps extends CoreDeps {
  commands: CommandRegistry;
  callbacks: CallbackRegistry;
  sendBudget: SendBudget;
  broadcastWake: BroadcastWake;
  schedulerWake: SchedulerWake;
  applicants: ApplicantContacts;
  metrics: Metrics;
  /** Wakes the outbox worker after a commit that queued messages, and waits for their first try. */
  outbox: OutboxWake;
  /** How each kind of queued message is rendered (declared by the features). */
  notices: NoticeRegistry;
  /** SQLite: the updates that end together commit in one transaction (none on PostgreSQL). */
  groupCommit: GroupCommit | undefined;
  /** Each chat's running update, by the chat key of `sequentialize` (bot/middleware/dedupe.ts). */
  units: ActiveUnits<Deps>;
  /** What the bot keeps of the settings and the directory across updates, while they stay unchanged. */
  sharedReads: SharedReads;
  /**
   * Set on the copy an update's handlers get (`ctx.deps`, and inside its conversations): what the update stores,
   * committed together at its end. The bot's own object, given to workers, has none.
   */
  uow?: UnitOfWork;
  /** Set with `uow`: the kept reads as of the update's start (data/shared-reads.ts). */
  reads?: PinnedReads;
}

/** The context inside and outside conversations (conversations rebuild it through plugins). */
export type BaseContext = Context & {
  deps: Deps;
  log: Logger;
  locale: Locale;
  t: T;
  /** The stored user, when the update has a sender in a private chat. */
  user: UserRow | undefined;
};

export type BotContext = ConversationFlavor<BaseContext>;
