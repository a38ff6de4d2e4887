/**
 * Consent per purpose (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): each is asked once, stored
 * with its time, shown and withdrawable on its own under /privacy; withdrawing stops what it covered.
 */
import { z } from "zod";

/** The purposes personal data is processed for; one definition for flows, /privacy and retention. */
export const CONSENT_PURPOSES = ["enterprise_registration", "course_registration", "announcements"] as const;
/** A consent purpose. */
export const consentPurposeSchema = z.enum(CONSENT_PURPOSES);
/** One of `CONSENT_PURPOSES`. */
export type ConsentPurpose = z.infer<typeof consentPurposeSchema>;

/** What staff did with a person's data outside the chat (recorded in the privacy audit). */
export const PRIVACY_ACTIONS = ["show", "export", "erase", "approve", "decline"] as const;
/** One of `PRIVACY_ACTIONS`. */
export type PrivacyAction = (typeof PRIVACY_ACTIONS)[number];
