import { z } from "zod";
import { LOCALES, type ChannelName, type Locale } from "../engine/messages.js";
import { sectorIdSchema } from "../domain/sectors.js";

/** Who a broadcast goes to; resolved to contacts when delivery starts. */
export const audienceSchema = z.discriminatedUnion("kind", [
  /** Everyone subscribed. */
  z.object({ kind: z.literal("all") }),
  /** Contacts of registered enterprises, optionally of one sector. */
  z.object({ kind: z.literal("enterprises"), sector: sectorIdSchema.optional() }),
  /** Registrants of one course (confirmed and waitlisted). */
  z.object({ kind: z.literal("course"), courseId: z.string().min(1) }),
  /** Everyone subscribed who reads this language. */
  z.object({ kind: z.literal("language"), locale: z.enum(LOCALES) }),
  /** An explicit list of `channel:userId` (a resend to in-doubt or failed recipients). */
  z.object({ kind: z.literal("contacts"), contacts: z.array(z.string().min(3)).max(100_000) }),
]);
/** A broadcast audience. */
export type Audience = z.infer<typeof audienceSchema>;

/** A broadcast's text: Vietnamese required, English optional (English readers get Vietnamese otherwise). */
export const broadcastTextSchema = z.object({
  vi: z.string().trim().min(1).max(4000),
  en: z.string().trim().min(1).max(4000).optional(),
});
/** A broadcast's text in both languages. */
export type BroadcastText = z.infer<typeof broadcastTextSchema>;

/** One contact a broadcast goes to. */
export interface Recipient {
  /** `channel:userId` */
  key: string;
  channel: ChannelName;
  userId: string;
  locale: Locale;
}

/** Where the contact keys of enterprise and course audiences come from (registration's repositories). */
export interface AudienceSources {
  enterpriseContacts(sector?: string): Promise<string[]>;
  courseContacts(courseId: string): Promise<string[]>;
}

/** The text a recipient reads: their language when written, else Vietnamese. */
export function broadcastTextFor(text: BroadcastText, locale: Locale): string {
  return (locale === "en" ? text.en : undefined) ?? text.vi;
}
