/** Enterprises registering for support: the answers of the enterprise form. */
import { z } from "zod";
import { consentAtSchema } from "./registration.js";
import { enterpriseSizeSchema, sectorIdSchema, taskGroupIdSchema } from "./sectors.js";

/** An enterprise's contact person (linked to the chat contact that registered them). */
export const contactPersonSchema = z.object({
  contactId: z.string().min(1),
  name: z.string().min(1).max(100),
  phone: z.string().regex(/^\+84\d{9}$/),
  email: z.string().nullable().default(null),
  consentAt: consentAtSchema,
});
/** A contact person. */
export type ContactPerson = z.infer<typeof contactPersonSchema>;

/** The enterprise form, validated; the single source of the enterprise type. */
export const enterpriseInputSchema = z.object({
  name: z.string().min(1).max(200),
  /** A 10/13-digit tax code, a 12-digit personal ID (individuals, household businesses), or `none:<id>`. */
  taxCode: z.string().regex(/^(\d{10}(-\d{3})?|\d{12}|none:[a-f0-9]{24})$/),
  sector: sectorIdSchema,
  size: enterpriseSizeSchema,
  address: z.string().min(1).max(300),
  supportInterests: z.array(taskGroupIdSchema).default([]),
  contact: contactPersonSchema,
});
/** An enterprise registration. */
export type EnterpriseInput = z.infer<typeof enterpriseInputSchema>;

/** What a confirmed contact may change about their enterprise. */
export const enterpriseDetailsSchema = enterpriseInputSchema.pick({ name: true, sector: true, size: true, address: true, supportInterests: true });
/** An enterprise's own details. */
export type EnterpriseDetails = z.infer<typeof enterpriseDetailsSchema>;
