/**
 * Action names of the enterprise, course and privacy flows, apart from their handlers so that
 * flows:check can read them without loading database code.
 */

/** The action names `createEnterpriseActions` registers. */
export const ENTERPRISE_ACTION_NAMES = ["record_consent", "check_tax_code", "prefill_enterprise", "save_enterprise", "update_enterprise_contact"] as const;

/** The action names `createRegistrationActions` registers. */
export const REGISTRATION_ACTION_NAMES = [
  "list_open_courses",
  "show_course",
  "register_for_course",
  "list_my_registrations",
  "show_registration",
  "cancel_registration",
] as const;

/** The action names `createPrivacyActions` registers. */
export const PRIVACY_ACTION_NAMES = ["show_my_data", "delete_my_data", "withdraw_consent"] as const;
