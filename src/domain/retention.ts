/** How long personal data is kept (Law 91/2025/QH15): configuration, with these defaults (src/config.ts). */
export interface RetentionPolicy {
  /** Course registrations lose their personal fields this many months after the course ended. */
  courseMonths: number;
  /** An enterprise contact person not seen in chat for this many months is removed. */
  enterpriseMonths: number;
  /** An undecided representation request is dropped after this many days. */
  requestDays: number;
}

/** The defaults `src/config.ts` applies. */
export const DEFAULT_RETENTION: RetentionPolicy = { courseMonths: 12, enterpriseMonths: 36, requestDays: 30 };
