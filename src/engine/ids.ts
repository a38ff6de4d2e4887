/** Identifier schemas shared by flow files, sessions and the checker. */
import { z } from "zod";

/** A flow id: snake_case, stable (sessions point at it). */
export const flowIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. enterprise");

/** A step id: snake_case, stable (sessions point at it, never at an index). */
export const stepIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. ask_name");

/** A choice id written in a flow file: lower-case ASCII, at most 24 bytes (it goes into callback data). */
export const choiceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_]{0,23}$/, "must be lower-case ASCII [a-z0-9_], at most 24 characters");

/** A choice id produced by an action (dynamic menus): ASCII, at most 24 bytes, e.g. a MongoDB ObjectId. */
export const dynamicChoiceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, "must be ASCII [A-Za-z0-9_-], at most 24 characters");

/** A data/vars field name for `store:`. */
export const fieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. tax_code");

/** An i18n key `namespace:path.to.key`. */
export const i18nKeySchema = z.string().regex(/^[a-z][a-z0-9_]*:[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "must be an i18n key like common:menu.title");

/** The flow every conversation returns to. */
export const MAIN_FLOW = "main";
/** The flow `/help` opens when there is no form to explain. */
export const HELP_FLOW = "help";
/** The flow `/lang` opens. */
export const LANGUAGE_FLOW = "language";
/** The flow that hands a question over to a person (optional: without it, the contacts are shown). */
export const HANDOFF_FLOW = "handoff";
