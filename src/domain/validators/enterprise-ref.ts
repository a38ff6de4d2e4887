/** The enterprise a worker names when registering for a course: a tax code, or a name. */
import type { ValidationResult, Validator } from "../../engine/validation.js";
import { looksLikeTaxCode, parseTaxCode } from "../tax-code.js";
import { ENTERPRISE_NAME_RULE, parseText } from "../text.js";

/**
 * Digits are read as a tax code (canonical form, with the tax-code reasons when wrong);
 * anything else as a name. The value stays a string so summaries can show it as typed;
 * `enterpriseRefFromAnswer` tells the two apart again.
 */
export const enterpriseRefValidator: Validator<string> = (input): ValidationResult<string> =>
  looksLikeTaxCode(input) ? parseTaxCode(input) : parseText(input, ENTERPRISE_NAME_RULE);
