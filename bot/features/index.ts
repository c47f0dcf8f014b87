import type { Feature } from "../feature.js";
import { applyFeature } from "./apply/index.js";
import { broadcastFeature } from "./broadcast/index.js";
import { cancelFeature } from "./cancel/index.js";
import { checkFeature } from "./check/index.js";
import { clinicsFeature } from "./clinics/index.js";
import { fallbackFeature } from "./fallback/index.js";
import { faqFeature } from "./faq/index.js";
import { privacyFeature } from "./privacy/index.js";
import { requestsFeature } from "./requests/index.js";
import { staffFeature } from "./staff/index.js";
import { startFeature } from "./start/index.js";
import { subscriptionFeature } from "./subscription/index.js";

/**
 * Every feature, in the order its handlers see an update: conversations first in this order too (the application's
 * before the staff's and the broadcast composer's), the fallback last.
 */
export const FEATURES: readonly Feature[] = [
  cancelFeature,
  startFeature,
  applyFeature,
  requestsFeature,
  checkFeature,
  clinicsFeature,
  faqFeature,
  subscriptionFeature,
  privacyFeature,
  staffFeature,
  broadcastFeature,
  fallbackFeature,
];
