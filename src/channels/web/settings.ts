/** The web chat's settings (merged into the app's config) and its text limit. */
import { z } from "zod";
import { optionalString } from "../../shared/config-fields.js";

/** The longest piece of text in one bubble (longer replies are split). */
export const WEB_TEXT_LIMIT = 1_500;

/** The web chat's settings. */
export const webConfig = z.object({
  /** The web chat (`/chat`, `/widget.js`) on the HTTP server: auto (default: on, but in production only with WEB_COOKIE_SECRET), on or off. */
  WEB_CHAT: z.enum(["auto", "on", "off"], { message: "must be auto, on or off" }).default("auto"),
  /** Signs the web visitor cookie; required in production (else a random one per process). */
  WEB_COOKIE_SECRET: optionalString.pipe(z.string().min(32, { message: "must be at least 32 characters" }).optional()),
  /** Sites that may embed the chat with /widget.js, as origins: https://sokhcn.khanhhoa.gov.vn,https://… */
  // A list once parsed: the registry parses parsed settings again (send rates), so both forms are read.
  WEB_ALLOWED_ORIGINS: z
    .union([z.string(), z.array(z.string())])
    .default("")
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim().replace(/\/+$/, "")).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/, { message: "each entry must be an origin, e.g. https://sokhcn.khanhhoa.gov.vn" }))),
  /** Messages one web visitor may send per minute. */
  WEB_RATE_PER_MINUTE: z.coerce.number({ message: "must be a number, e.g. 60" }).int().positive().default(60),
  /** Messages and page loads per IP address per minute (a shared office NAT counts as one). */
  WEB_IP_RATE_PER_MINUTE: z.coerce.number({ message: "must be a number, e.g. 300" }).int().positive().default(300),
});

/** The web chat's settings as parsed. */
export type WebConfig = z.infer<typeof webConfig>;
