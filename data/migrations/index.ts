import type { Migration } from "kysely";
import * as m0001 from "./0001-core.js";
import * as m0002 from "./0002-directory.js";
import * as m0003 from "./0003-requests.js";
import * as m0004 from "./0004-staff.js";
import * as m0005 from "./0005-broadcasts.js";
import * as m0006 from "./0006-request-tallies.js";
import * as m0007 from "./0007-staff-names.js";
import * as m0008 from "./0008-request-insurance.js";
import * as m0009 from "./0009-draft-token.js";
import * as m0010 from "./0010-provider-kind.js";
import * as m0011 from "./0011-telegram-language.js";
import * as m0012 from "./0012-deep-links.js";
import * as m0013 from "./0013-personal-data.js";
import * as m0014 from "./0014-import-staging.js";
import * as m0015 from "./0015-outbox.js";
import * as m0016 from "./0016-cache-epochs.js";
import * as m0017 from "./0017-update-inbox.js";

/** Every migration, in order. Names are frozen once landed. */
export const migrations: Record<string, Migration> = {
  "0001-core": m0001,
  "0002-directory": m0002,
  "0003-requests": m0003,
  "0004-staff": m0004,
  "0005-broadcasts": m0005,
  "0006-request-tallies": m0006,
  "0007-staff-names": m0007,
  "0008-request-insurance": m0008,
  "0009-draft-token": m0009,
  "0010-provider-kind": m0010,
  "0011-telegram-language": m0011,
  "0012-deep-links": m0012,
  "0013-personal-data": m0013,
  "0014-import-staging": m0014,
  "0015-outbox": m0015,
  "0016-cache-epochs": m0016,
  "0017-update-inbox": m0017,
};
