/**
 * The "how to get support" contact lines. Contact details are configuration staff fill in
 * (`CONTACT_OFFICE`, `CONTACT_PHONE`, `CONTACT_EMAIL`, `CONTACT_WEBSITE`); an unset one is not shown.
 */
import { z } from "zod";
import type { Msg } from "../../engine/messages.js";

/** The department's contact details; every field is optional and blank means unset. */
export const contactInfoSchema = z.object({
  office: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.string().optional(),
});
/** Contact details from configuration. */
export type ContactInfo = z.infer<typeof contactInfoSchema>;

const FIELDS = ["office", "phone", "email", "website"] as const;

/** One message per configured contact detail, or the "register in the bot" note when none is set. */
export function contactMessages(contact: ContactInfo): Msg[] {
  const lines: Msg[] = [];
  for (const field of FIELDS) {
    const value = contact[field]?.trim();
    if (value) lines.push({ key: `policies:contact.${field}`, params: { [field]: value } });
  }
  return lines.length > 0 ? lines : [{ key: "policies:contact.none" }];
}
