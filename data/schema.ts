import type { BroadcastTables } from "./schema/broadcasts.js";
import type { CoreTables } from "./schema/core.js";
import type { DirectoryTables } from "./schema/directory.js";
import type { LinkTables } from "./schema/links.js";
import type { OutboxTables } from "./schema/outbox.js";
import type { RequestsTables } from "./schema/requests.js";
import type { StaffTables } from "./schema/staff.js";

/** The whole database: one interface per area, joined here. */
export interface Database
  extends CoreTables, DirectoryTables, RequestsTables, StaffTables, BroadcastTables, LinkTables, OutboxTables {}
