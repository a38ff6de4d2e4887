/**
 * The eligibility check, derived only from what the plan says: enterprises, economic
 * organisations and individuals producing or trading in Khánh Hòa are in scope; the listed
 * sectors get priority; the plan says nothing about size, and the answer says so.
 */
import { z } from "zod";
import type { I18nKey, Msg } from "../engine/messages.js";
import {
  enterpriseSizeSchema,
  isPrioritySector,
  sectorIdSchema,
  type TaskGroupId,
} from "./sectors.js";

/** The answers of the eligibility questions; sector and size are only asked inside the province. */
export const eligibilityAnswersSchema = z.discriminatedUnion("inProvince", [
  z.object({ inProvince: z.literal(false) }),
  z.object({ inProvince: z.literal(true), sector: sectorIdSchema, size: enterpriseSizeSchema }),
]);
/** Parsed eligibility answers. */
export type EligibilityAnswers = z.infer<typeof eligibilityAnswersSchema>;

/**
 * The task groups an enterprise can benefit from directly (information, training, support
 * measures, consulting/conformity assessment); "mechanisms and policies" is the state's own work.
 */
export const ENTERPRISE_TASK_GROUPS: readonly TaskGroupId[] = [
  "communication",
  "training",
  "enterprise_support",
  "capacity_building",
];

/** The outcome of the check: messages to show plus the facts flows and forms may reuse. */
export type EligibilityResult =
  | { inScope: true; priority: boolean; groups: TaskGroupId[]; messages: Msg[] }
  | { inScope: false; priority: false; groups: TaskGroupId[]; messages: Msg[] };

/** Decides scope, priority and fitting task groups from the answers. */
export function assessEligibility(answers: EligibilityAnswers): EligibilityResult {
  if (!answers.inProvince) {
    return {
      inScope: false,
      priority: false,
      groups: [],
      messages: [{ key: "policies:eligibility.result.out_of_scope" }],
    };
  }
  const priority = isPrioritySector(answers.sector);
  return {
    inScope: true,
    priority,
    groups: [...ENTERPRISE_TASK_GROUPS],
    messages: [
      { key: "policies:eligibility.result.in_scope" },
      { key: priority ? "policies:eligibility.result.priority" : "policies:eligibility.result.not_listed" },
      { key: `policies:eligibility.result.size.${answers.size}` },
      { key: "policies:eligibility.result.groups" },
    ],
  };
}

/** Raw flow data as the eligibility flow stores it: `in_province` ("inside"/"outside"), `sector`, `size`. */
export type EligibilityData = Readonly<Record<string, unknown>>;

/** Reads the flow's stored answers; a missing or unknown answer is a reason, not an exception. */
export function parseEligibilityData(
  data: EligibilityData,
): { ok: true; value: EligibilityAnswers } | { ok: false; reason: I18nKey } {
  const inProvince = toBoolean(data["in_province"]);
  const parsed = eligibilityAnswersSchema.safeParse(
    inProvince ? { inProvince, sector: data["sector"], size: data["size"] } : { inProvince },
  );
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: "policies:eligibility.result.incomplete" };
}

// Menus store the pressed choice id ("yes"/"no" are reserved by the engine); booleans are accepted too.
function toBoolean(value: unknown): boolean | undefined {
  if (value === true || value === "inside") return true;
  if (value === false || value === "outside") return false;
  return undefined;
}
