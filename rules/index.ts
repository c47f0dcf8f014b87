// Public API of the eligibility engine. Pure: zod only, no clock, no I/O (see README.md).
export * from "./codes.js";
export { addDays, almatyDate, almatyMinutes, isWeekend, toInstant, weekday, type IsoDate } from "./dates.js";
export {
  ADULT_AGE,
  ageOn,
  iinCheckDigit,
  isChild,
  maskIin,
  maskIinBesideBirthDate,
  parseIin,
  type IinError,
  type IinResult,
} from "./iin.js";
export {
  atuAllowed,
  campaignAnnouncement,
  campaignConfirmed,
  CampaignSchema,
  DEFAULT_RETENTION,
  parsePolicy,
  PolicyDocumentsSchema,
  PolicySchema,
  RetentionSchema,
  satisfiedBy,
  type CampaignAnnouncement,
  type Policy,
  type PolicyDocuments,
  type Retention,
} from "./policy.js";
export { campaignStatus, effectiveFrom, effectiveYear, freeChoiceSeason, type CampaignStatus } from "./campaign.js";
export {
  addWorkingDays,
  buildWorkingCalendar,
  clockStartDay,
  decisionDueBy,
  HolidayDaySchema,
  HolidayYearSchema,
  isWorkingDay,
  missingHolidayYears,
  nextWorkingDay,
  provisionalHolidayYears,
  type HolidayYear,
  type WorkingCalendar,
} from "./working-days.js";
export {
  HolidayLawEntrySchema,
  HolidayLawSchema,
  holidaysInForce,
  statutoryHolidayYear,
  type HolidayLaw,
  type HolidayLawEntry,
} from "./holiday-law.js";
export { allowedGrounds, freeChangesUsed, groundReasons, type GroundContext } from "./grounds.js";
export {
  applicantReasons,
  attachmentEndsOn,
  inPersonChannel,
  INSURED_CATEGORIES,
  needsInsuranceTerm,
  specialCategoryDocuments,
  statusDocuments,
} from "./applicant.js";
export { clinicReasons, freePlaces, type ClinicCheckContext } from "./clinic.js";
export { attachesAtActualResidence, missingDocuments, requiredDocuments } from "./documents.js";
export * from "./schemas.js";
export { evaluate } from "./evaluate.js";
