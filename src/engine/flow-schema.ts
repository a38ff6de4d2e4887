/** The flow file format: one YAML file per conversation, validated by these schemas. */
import { z } from "zod";
import { flowIdSchema, stepIdSchema } from "./ids.js";
import { msgRefSchema } from "./msg-ref.js";
import { STEP_KINDS } from "./steps/kinds.js";

const [firstKind, ...otherKinds] = STEP_KINDS;

/** Every step kind, told apart by `type` (built from the kinds' definitions). */
export const stepSchema = z.discriminatedUnion("type", [firstKind.schema, ...otherKinds.map((k) => k.schema)]);

/** A parsed step. */
export type Step = z.infer<typeof stepSchema>;

/** The kinds of step, as written in `type:`. */
export type StepType = Step["type"];

/** One flow file. */
export const flowSchema = z.object({
  id: flowIdSchema,
  /** A slash command that enters this flow, without the slash (e.g. `courses` → `/courses`). */
  command: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "must be lower-case [a-z0-9_], without the slash").optional(),
  /** Only staff may enter. */
  staff: z.boolean().default(false),
  /** A form: /cancel and idle expiry drop its data; nothing is saved until its action runs. */
  form: z.boolean().default(false),
  /** What /help says anywhere in this flow (a step's own `help` wins). */
  help: msgRefSchema.optional(),
  start: stepIdSchema,
  steps: z.array(stepSchema).min(1),
}).strict();

/** A parsed flow. */
export type Flow = z.infer<typeof flowSchema>;

/** Loaded flows, indexed for the engine. */
export interface FlowSet {
  readonly flows: ReadonlyMap<string, Flow>;
  /** Step lookup: flow id → step id → step. */
  readonly steps: ReadonlyMap<string, ReadonlyMap<string, Step>>;
  /** Command name (no slash) → flow id. */
  readonly commands: ReadonlyMap<string, string>;
}

/** Indexes parsed flows (later duplicates are ignored; the checker reports them). */
export function buildFlowSet(flows: readonly Flow[]): FlowSet {
  const byId = new Map<string, Flow>();
  const steps = new Map<string, Map<string, Step>>();
  const commands = new Map<string, string>();
  for (const flow of flows) {
    if (byId.has(flow.id)) continue;
    byId.set(flow.id, flow);
    const index = new Map<string, Step>();
    for (const step of flow.steps) if (!index.has(step.id)) index.set(step.id, step);
    steps.set(flow.id, index);
    if (flow.command && !commands.has(flow.command)) commands.set(flow.command, flow.id);
  }
  return { flows: byId, steps, commands };
}
