/**
 * Every validator a flow's `ask` step may name. flows:check rejects unknown names, so adding
 * one here is what makes it usable in `flows/*.yaml`.
 */
import type { Validator, ValidatorRegistry } from "../../engine/validation.js";
import { futureDateTime, parseAnnouncement, parseCapacity, parsePlaceOrLink } from "../course-answers.js";
import { parseEmail } from "../email.js";
import { parseVnMobile } from "../phone.js";
import { parsePersonalId } from "../personal-id.js";
import { parseTaxCode } from "../tax-code.js";
import { ADDRESS_RULE, ENTERPRISE_NAME_RULE, FREE_TEXT_RULE, JOB_TITLE_RULE, PERSON_NAME_RULE, parseText, type TextRule } from "../text.js";
import { enterpriseRefValidator } from "./enterprise-ref.js";
import { optional } from "./optional.js";

const text = (rule: TextRule): Validator<string> => (input) => parseText(input, rule);

/** Validators by the name flows use. */
export const validators: ValidatorRegistry = {
  tax_code: (input) => parseTaxCode(input),
  personal_id: (input) => parsePersonalId(input),
  vn_mobile: (input) => parseVnMobile(input),
  email: (input) => parseEmail(input),
  email_optional: optional((input) => parseEmail(input)),
  person_name: text(PERSON_NAME_RULE),
  enterprise_name: text(ENTERPRISE_NAME_RULE),
  address: text(ADDRESS_RULE),
  job_title: text(JOB_TITLE_RULE),
  job_title_optional: optional(text(JOB_TITLE_RULE)),
  free_text: text(FREE_TEXT_RULE),
  enterprise_ref: enterpriseRefValidator,
  enterprise_ref_optional: optional(enterpriseRefValidator),
  // Staff forms (courses, broadcasts): each answer checked as typed.
  future_datetime: (input, ctx) => futureDateTime(input, ctx.timeZone, ctx.now),
  future_datetime_optional: optional((input, ctx) => futureDateTime(input, ctx.timeZone, ctx.now)),
  capacity: (input) => parseCapacity(input),
  place_or_link: (input) => parsePlaceOrLink(input),
  announcement_text: (input) => parseAnnouncement(input),
};
