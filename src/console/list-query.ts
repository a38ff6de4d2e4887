/**
 * The query string of a console list (search, filters, page) read with zod: a bad value is a
 * field problem shown next to its field (HTTP 422), never a silently different list.
 */
import { z } from "zod";

/** Rows per page of a console list. */
export const PAGE_SIZE = 25;

/** The search text and page every list has. */
export const listQueryBase = {
  q: z.string().trim().max(100, "console-lists:errors.q_too_long").optional().default(""),
  page: z.string().regex(/^[1-9]\d{0,4}$/, "console-lists:errors.page").optional().transform((p) => (p ? Number(p) : 1)),
};

/** An optional choice among `values` ("" = any). */
export const choice = (values: readonly string[], reason: string) => z.string().optional().default("").refine((v) => v === "" || values.includes(v), reason);

/** The first problem of each field, as text keys. */
export function fieldProblems(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "q");
    out[field] ??= issue.message;
  }
  return out;
}

/** Only the single string values of a query (repeated or odd parameters are dropped, then refused by the schema if required). */
export function plainQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (query && typeof query === "object") for (const [k, v] of Object.entries(query)) if (typeof v === "string") out[k] = v;
  return out;
}

/** The page links of a list: how many pages, and the query string of page `n` with the same filters. */
export function paging(total: number, page: number, filters: Record<string, string>) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (n: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "")), page: String(n) }).toString()}`;
  return { page, pages, total, prev: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null };
}

/** The same filters as a query string (for the export links). */
export function filterQuery(filters: Record<string, string>): string {
  return new URLSearchParams(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""))).toString();
}
