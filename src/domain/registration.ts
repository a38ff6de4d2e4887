/** Course registrations: the person's answers and the status life cycle. */
import { z } from "zod";

/** pending (claims in progress) → confirmed | waitlisted → (promotion) confirmed → cancelled. */
export const REGISTRATION_STATUSES = ["pending", "waitlisted", "confirmed", "cancelled"] as const;
/** A registration status. */
export const registrationStatusSchema = z.enum(REGISTRATION_STATUSES);
/** One of `REGISTRATION_STATUSES`. */
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;

/**
 * Statuses only move forward; writers set a status only over a lower rank, so a late writer
 * holding an older view cannot undo a promotion or a cancellation.
 */
export function statusRank(status: RegistrationStatus): number {
  return REGISTRATION_STATUSES.indexOf(status);
}

/**
 * When consent was given: a Date or an ISO string (sessions are JSON). Missing or null is an
 * error — plain `z.coerce.date()` would turn null into 1970 and store data without consent.
 */
export const consentAtSchema = z.preprocess((v) => (typeof v === "string" || v instanceof Date ? v : undefined), z.coerce.date());

/** The enterprise a worker names: a registered tax code, or just a name. */
export const enterpriseRefSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tax_code"), taxCode: z.string() }),
  z.object({ kind: z.literal("name"), name: z.string() }),
]);
/** An enterprise reference. */
export type EnterpriseRef = z.infer<typeof enterpriseRefSchema>;

/** The answer of the `enterprise_ref` validator → a reference (canonical tax codes are digits, names are not). */
export function enterpriseRefFromAnswer(answer: unknown): EnterpriseRef | null {
  if (typeof answer !== "string" || answer.trim() === "") return null;
  return /^\d{10}(-\d{3})?$/.test(answer) ? { kind: "tax_code", taxCode: answer } : { kind: "name", name: answer };
}

/** What a person gives to register for a course. */
export const registrationInputSchema = z.object({
  courseId: z.string().min(1),
  contactId: z.string().min(1),
  fullName: z.string().min(1).max(100),
  phone: z.string().regex(/^\+84\d{9}$/),
  enterprise: enterpriseRefSchema.nullable().default(null),
  jobTitle: z.string().max(100).nullable().default(null),
  consentAt: consentAtSchema,
  /** Which filling-in of the form this is (set when its consent step passes): a replayed update has the same. */
  formId: z.string().min(1).nullish(),
});
/** A registration request. */
export type RegistrationInput = z.infer<typeof registrationInputSchema>;
