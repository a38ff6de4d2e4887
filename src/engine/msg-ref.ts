/**
 * How flow files write user-visible text: an i18n key, optionally with params that read
 * session values. `params: { name: "data.enterprise_name" }` reads `data.enterprise_name`;
 * `{ ref: "data.sector", label: "enterprise:sectors" }` renders the stored id(s) through
 * the keys `enterprise:sectors.<id>`; any other string or number is a literal.
 */
import { z } from "zod";
import type { I18nKey, Locale, Msg } from "./messages.js";
import { isRecord } from "../shared/guards.js";
import { i18nKeySchema } from "./ids.js";

/** One param value in a flow file: a `data.x`/`vars.x` reference, a literal, or a labelled reference. */
export const paramSpecSchema = z.union([
  z.string(),
  z.number(),
  z.object({ ref: z.string().regex(/^(data|vars)\.[A-Za-z0-9_.]+$/, "must be data.<field> or vars.<field>"), label: z.string().regex(/^[a-z][a-z0-9_]*:[A-Za-z0-9_.]+$/, "must be a key prefix like enterprise:sectors") }).strict(),
]);

/** Text in a flow file: `common:menu.title` or `{ key, params }`. */
export const msgRefSchema = z.union([
  i18nKeySchema,
  z.object({ key: i18nKeySchema, params: z.record(z.string(), paramSpecSchema).optional() }).strict(),
], { error: "must be an i18n key like ns:key or { key, params }" });

/** Text in a flow file, as parsed. */
export type MsgRef = z.infer<typeof msgRefSchema>;

/** What param references can read. */
export interface ParamScope {
  data: Readonly<Record<string, unknown>>;
  vars: Readonly<Record<string, unknown>>;
}

/** Renders a Msg to plain text in a locale (the i18n renderer, injected). */
export type LabelFn = (msg: Msg, locale: Locale) => string;

const REF = /^(data|vars)\.[A-Za-z0-9_.]+$/;
/** An ISO 8601 date-time with a zone. Sessions are plain JSON, so Dates come back as such strings; they are shown as dates again. */
export const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The i18n key of a MsgRef. */
export function refKey(ref: MsgRef): string {
  return typeof ref === "string" ? ref : ref.key;
}

/** Reads `data.a.b` / `vars.x` from the scope. */
export function readPath(scope: ParamScope, path: string): unknown {
  const [root, ...rest] = path.split(".");
  let value: unknown = root === "data" ? scope.data : scope.vars;
  for (const part of rest) {
    if (!isRecord(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** Turns a JSON value into a Msg param (string | number | Date). */
export function toParam(value: unknown, locale: Locale, label: LabelFn): string | number | Date {
  if (value === null || value === undefined || value === "") return label({ key: "common:empty_value" }, locale);
  if (value instanceof Date || typeof value === "number") return value;
  if (typeof value === "string") return ISO_DATETIME.test(value) ? new Date(value) : value;
  if (typeof value === "boolean") return label({ key: value ? "common:yes" : "common:no" }, locale);
  // Lists are joined with "; " because labels themselves often contain commas ("Cơ chế, chính sách").
  if (Array.isArray(value)) {
    if (value.length === 0) return label({ key: "common:empty_value" }, locale);
    return value.map((v) => String(toParam(v, locale, label))).join("; ");
  }
  return label({ key: "common:empty_value" }, locale);
}

/**
 * A key read from data rather than code (flow files, flows/intents.yaml, section names of a
 * locale file, ids stored in the database): the compiler cannot see it, so it is checked where
 * the data is loaded (flows:check and the loader refuse flows and intents with a missing key).
 */
// The one place a string becomes a key: the check happens where the data is loaded (above).
export const dataKey = (key: string): I18nKey => key as I18nKey;
const flowKey = dataKey;

/** Resolves a MsgRef against the session into a Msg ready to render. */
export function resolveMsg(ref: MsgRef, scope: ParamScope, locale: Locale, label: LabelFn): Msg {
  if (typeof ref === "string") return { key: flowKey(ref) };
  if (!ref.params) return { key: flowKey(ref.key) };
  const params: Record<string, string | number | Date> = {};
  for (const [name, spec] of Object.entries(ref.params)) {
    if (typeof spec === "number") params[name] = spec;
    else if (typeof spec === "string") params[name] = REF.test(spec) ? toParam(readPath(scope, spec), locale, label) : spec;
    else {
      const raw = readPath(scope, spec.ref);
      const ids = Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw];
      params[name] = ids.length === 0
        ? label({ key: "common:empty_value" }, locale)
        : ids.map((id) => label({ key: flowKey(`${spec.label}.${String(id)}`) }, locale)).join("; ");
    }
  }
  return { key: flowKey(ref.key), params };
}
