import { GroupCommit } from "../data/group-commit.js";
import { SharedReads } from "../data/shared-reads.js";
import { ActiveUnits } from "../data/unit-of-work.js";
import { CallbackRegistry } from "./callback-data.js";
import { CommandRegistry } from "./commands.js";
import type { CoreDeps, Deps } from "./context.js";
import type { Feature } from "./feature.js";
import { FEATURES } from "./features/index.js";
import { Metrics } from "./metrics.js";
import { NoticeRegistry, OutboxWake } from "./outbox.js";
import { BroadcastWake, SchedulerWake, SendBudget } from "./send-budget.js";
import { ApplicantContacts } from "./ui/applicant-contacts.js";

/**
 * Everything a bot holds at run time, made afresh for each bot: two bots in one process (tests, several instances)
 * share none of it. The bot and its background workers get the same object.
 */
export function createDeps(core: CoreDeps, features: readonly Feature[] = FEATURES): Deps {
  const metrics = new Metrics(core.db);
  return {
    ...core,
    commands: new CommandRegistry(features.flatMap((f) => f.commands ?? [])),
    callbacks: new CallbackRegistry(features.flatMap((f) => f.callbacks ?? [])),
    sendBudget: new SendBudget(),
    broadcastWake: new BroadcastWake(),
    schedulerWake: new SchedulerWake(),
    applicants: new ApplicantContacts(),
    metrics,
    outbox: new OutboxWake(),
    notices: new NoticeRegistry(features.flatMap((f) => (f.notices ? [f.notices] : []))),
    units: new ActiveUnits(),
    sharedReads: new SharedReads(),
    groupCommit: GroupCommit.for(core.db, (units) => metrics.commitBatch.observe(units)),
  };
}
