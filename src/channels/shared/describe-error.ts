/** Turns an unknown thrown value into log fields without personal data or tokens. */

/** Log fields for an error: its name, a platform code/description when present, a short message. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const e = error as Error & { code?: unknown; errorCode?: unknown; description?: unknown };
  const fields: Record<string, unknown> = { error: e.name };
  const code = e.errorCode ?? e.code;
  if (typeof code === "string" || typeof code === "number") fields.code = code;
  if (typeof e.description === "string") fields.description = e.description.slice(0, 200);
  // Messages of network errors can carry URLs (and so tokens): strip anything URL-like.
  else fields.message = e.message.replace(/https?:\/\/\S+/g, "<url>").slice(0, 200);
  return fields;
}
