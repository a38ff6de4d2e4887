/** The format of `flows/intents.yaml`: chat tables, global words and intents with examples. */
import { z } from "zod";
import { flowIdSchema, i18nKeySchema, stepIdSchema } from "../../engine/ids.js";

const phrasesSchema = z.object({ vi: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) }).strict();

/** The words that work at every question, each with its phrases in both languages. */
const globalsSchema = z.object({ cancel: phrasesSchema, back: phrasesSchema, menu: phrasesSchema, help: phrasesSchema, human: phrasesSchema }).strict();
const globalWordSchema = globalsSchema.keyof();

/** The words that work at every question. */
export const GLOBAL_WORDS = globalWordSchema.options;
/** One kind of global word. */
export type GlobalWord = (typeof GLOBAL_WORDS)[number];

/** One intent: a label, exactly one target, and examples in both languages. */
export const intentSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,23}$/, "must be snake_case, at most 24 characters"),
  label: i18nKeySchema,
  flow: flowIdSchema.optional(),
  step: stepIdSchema.optional(),
  section: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  reply: i18nKeySchema.optional(),
  global: globalWordSchema.optional(),
  honest: z.literal(true).optional(),
  examples: phrasesSchema,
}).strict().superRefine((intent, ctx) => {
  const targets = [intent.flow, intent.section, intent.reply, intent.global, intent.honest].filter((t) => t !== undefined);
  if (targets.length !== 1) ctx.addIssue({ code: "custom", message: "needs exactly one target: flow, section, reply, global or honest" });
  if (intent.step !== undefined && intent.flow === undefined) ctx.addIssue({ code: "custom", message: "`step` needs `flow`", path: ["step"] });
});

/** A parsed intent. */
export type Intent = z.infer<typeof intentSchema>;

/** The whole file. */
export const intentsFileSchema = z.object({
  abbreviations: z.record(z.string().regex(/^[a-z0-9]+$/, "an abbreviation is one lower-case word without accents"), z.string().min(1)).default({}),
  fillers: z.array(z.string().min(1)).default([]),
  /** Words too common to tell intents apart (accents removed); ignored when matching. */
  stopwords: z.array(z.string().min(1)).default([]),
  globals: globalsSchema,
  /** Yes/no words at a yes/no question. */
  answers: z.object({ yes: phrasesSchema, no: phrasesSchema }).strict(),
  intents: z.array(intentSchema).min(1),
}).strict();

/** A parsed `flows/intents.yaml`. */
export type IntentsFile = z.infer<typeof intentsFileSchema>;
