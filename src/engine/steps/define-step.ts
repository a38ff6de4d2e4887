/** The shape of one step kind's definition: its schema, its handlers and what the engine and checker need to know about it. */
import type { z } from "zod";
import type { ActionResult } from "../actions.js";
import type { Reply } from "../engine-types.js";
import type { MsgRef } from "../msg-ref.js";
import type { StepContext, StepInput, StepResult } from "./step-types.js";

/** Fields every parsed step has (see `baseStepFields`). */
export interface StepShape {
  type: string;
  id: string;
  help?: MsgRef | undefined;
}

/** A step kind's schema: a zod object whose `type` is one literal (so kinds form a discriminated union). */
export type StepSchema = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape, z.core.$ZodObjectConfig>;

/** Another flow a step can enter: [flow id, optional step id]. */
export type FlowTarget = [flow: string, step: string | undefined];

/** Names the loaded code knows, for checks the schema cannot make. */
export interface StepCheckEnv {
  validatorNames: readonly string[];
  actionNames: readonly string[];
  staffActionNames?: readonly string[];
  /** The step's flow is staff-only. */
  staffFlow: boolean;
}

/** What every step kind declares, whether it waits or not. */
interface StepKindCommon<S extends StepShape, Sch> {
  /** The `type:` written in flow files. */
  readonly type: S["type"];
  /** Validates one step of this kind at load (never per message). */
  readonly schema: Sch;
  /** Same-flow step ids this step can lead to (reference and reachability checks). */
  targets(step: S): string[];
  /** Other flows this step can enter. */
  flows?(step: S): FlowTarget[];
  /** Texts the step shows besides its `help` (each key must exist in every locale). */
  texts(step: S): MsgRef[];
  /** The field this step stores one of its fixed choice ids in (labelled params show those ids' keys). */
  storedChoices?(step: S): { field: string; ids: string[] } | undefined;
  /** Problems only the loaded code can see (unknown validator or action…), as messages. */
  check?(step: S, env: StepCheckEnv): string[];
}

/** A kind that waits for the user: it shows a prompt and reacts to the answer. */
export interface WaitingStepKind<S extends StepShape, Sch = z.ZodType<S>> extends StepKindCommon<S, Sch> {
  readonly waits: true;
  /** A later menu's Back returns here (the step is pushed on the menu history). */
  readonly backPoint?: boolean;
  /** Free text is the answer: global words ("quay lại") always win over it. */
  readonly freeText?: boolean;
  prompt(step: S, ctx: StepContext): Reply;
  input(step: S, ctx: StepContext, input: StepInput): StepResult;
}

/** A kind that runs through; with `result` it also receives the runner's action results. */
export interface RunStepKind<S extends StepShape, Sch = z.ZodType<S>> extends StepKindCommon<S, Sch> {
  readonly waits: false;
  run(step: S, ctx: StepContext): StepResult;
  result?(step: S, ctx: StepContext, result: ActionResult): StepResult;
}

/** One step kind. */
export type StepKind<S extends StepShape, Sch = z.ZodType<S>> = WaitingStepKind<S, Sch> | RunStepKind<S, Sch>;

type Parsed<Sch extends StepSchema> = z.output<Sch> & StepShape;

/** Defines a step kind; its handlers are typed from its schema (`waits` tells which handlers it has). */
export function defineStep<Sch extends StepSchema>(kind: WaitingStepKind<Parsed<Sch>, Sch>): WaitingStepKind<Parsed<Sch>, Sch>;
export function defineStep<Sch extends StepSchema>(kind: RunStepKind<Parsed<Sch>, Sch>): RunStepKind<Parsed<Sch>, Sch>;
export function defineStep<Sch extends StepSchema>(kind: StepKind<Parsed<Sch>, Sch>): StepKind<Parsed<Sch>, Sch> {
  return kind;
}
