import type { CoreTables } from "./schema/core.js";

/** The whole database: one interface per area, joined here. */
export interface Database extends CoreTables {}
