/**
 * Action names of the enterprise, course and privacy flows, apart from their handlers so that
 * flows:check can read them without loading database code.
 */

/** The action names `createEnterpriseActions` registers. */
export const ENTERPRISE_ACTION_NAMES = [
  "record_consent",
  "consent_enterprise_check",
  "record_consent_enterprise",
  "check_tax_code",
  "no_tax_id",
  "prefill_enterprise",
  "save_enterprise",
  "list_representation_requests",
  "show_representation_request",
  "approve_representation",
  "decline_representation",
] as const;

/** The action names `createRegistrationActions` registers. */
export const REGISTRATION_ACTION_NAMES = [
  "list_open_courses",
  "show_course",
  "register_for_course",
  "list_my_registrations",
  "show_registration",
  "cancel_registration",
  "consent_courses_check",
  "record_consent_courses",
] as const;

/** The action names `createPrivacyActions` registers. */
export const PRIVACY_ACTION_NAMES = ["show_my_data", "delete_my_data", "list_consents", "withdraw_consent"] as const;
