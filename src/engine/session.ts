/**
 * Session state: where a user is (flow id, step id — never an index), the answers collected,
 * and the language. Saved as plain JSON with a `version`, re-validated when loaded.
 */
import { z } from "zod";
import { dynamicChoiceIdSchema } from "./ids.js";
import { isLocale, LOCALES, type Locale } from "./messages.js";
import { isRecord } from "../shared/guards.js";
import { ISO_DATETIME } from "./msg-ref.js";

// JSON turns a Date param into an ISO string; turn it back so labels still show a formatted date.
const msgParamSchema = z.union([z.string(), z.number(), z.date()]).transform((v) => (typeof v === "string" && ISO_DATETIME.test(v) ? new Date(v) : v));

/** A dynamic choice kept in the session so a later press can be verified. */
export const sessionChoiceSchema = z.object({
  id: dynamicChoiceIdSchema,
  label: z.object({ key: z.string(), params: z.record(z.string(), msgParamSchema).optional() }),
});

/** A visited menu, for Back. */
export const historyEntrySchema = z.object({ flow: z.string(), step: z.string() });

/** The session, version 1. */
export const sessionSchema = z.object({
  version: z.literal(1),
  locale: z.enum(LOCALES),
  /** Current flow and step; both null when idle. */
  flow: z.string().nullable(),
  step: z.string().nullable(),
  /** Answers collected by the current flow. */
  data: z.record(z.string(), z.unknown()),
  /** Values set by actions; kept across flows. */
  vars: z.record(z.string(), z.unknown()),
  /** Invalid answers to the current question. */
  failures: z.number().int().min(0),
  history: z.array(historyEntrySchema),
  /** The questions answered so far in the current flow, in order (for "back" at any question). */
  trail: z.array(z.string()).optional(),
  /** An offered "A or B?" (intent ids) and the question that led to it, until the next message. */
  pending: z.object({ options: z.array(z.string()), question: z.string().optional() }).optional(),
  /** Choices from the last action, for the next dynamic menu. */
  dynamic: z.array(sessionChoiceSchema).optional(),
  createdAt: z.string(),
  /** Last time the user wrote (idle expiry counts from here). */
  updatedAt: z.string(),
});

/** A session. */
export type Session = z.infer<typeof sessionSchema>;

/** How many menus Back remembers. */
export const MAX_HISTORY = 20;

/** Picks a locale from a platform hint (`vi`, `vi-VN`, `en-US`…), else the default. */
export function localeFromHint(hint: string | undefined, fallback: Locale): Locale {
  const lang = hint?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === lang) ?? fallback;
}

/** A new, idle session. */
export function newSession(locale: Locale, now: Date): Session {
  const at = now.toISOString();
  return { version: 1, locale, flow: null, step: null, data: {}, vars: {}, failures: 0, history: [], createdAt: at, updatedAt: at };
}

/** The outcome of loading a stored session. */
export type LoadedSession =
  | { status: "ok"; session: Session }
  | { status: "missing" }
  /** Stored but unreadable (old version, corrupted): start again politely. */
  | { status: "reset"; locale?: Locale };

/** Validates (and if needed migrates) a stored session. Never throws. */
export function parseSession(raw: unknown): LoadedSession {
  if (raw === null || raw === undefined) return { status: "missing" };
  const parsed = sessionSchema.safeParse(raw);
  if (parsed.success) return { status: "ok", session: parsed.data };
  // Keep the language if we can still read it, so the restart speaks the user's language.
  const locale = isRecord(raw) ? raw.locale : undefined;
  return { status: "reset", ...(isLocale(locale) ? { locale } : {}) };
}

/**
 * A deep copy of a session, for the engine to change freely. Sessions are plain data (and a
 * few Dates in choice labels), so a direct copy does in ~1 µs what `structuredClone` does in ~8.
 */
export function cloneSession(session: Session): Session {
  // copy() rebuilds the same structure it is given, which its `unknown` signature cannot say.
  return copy(session) as Session;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // An own "__proto__" key (JSON can hold one) must stay a plain key, never become the prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: copy(v), enumerable: true, writable: true, configurable: true });
    else out[key] = copy(v);
  }
  return out;
}
