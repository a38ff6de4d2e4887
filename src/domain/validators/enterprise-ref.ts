/** The enterprise a worker names when registering for a course: a tax code, or a name. */
import type { ValidationResult, Validator } from "../../engine/validation.js";
import type { EnterpriseRef } from "../registration.js";
import { looksLikeTaxCode, parseTaxCode } from "../tax-code.js";
import { ENTERPRISE_NAME_RULE, parseText } from "../text.js";

/** Digits are read as a tax code (with the tax-code reasons when wrong); anything else as a name. */
export const enterpriseRefValidator: Validator<EnterpriseRef> = (input): ValidationResult<EnterpriseRef> => {
  if (looksLikeTaxCode(input)) {
    const code = parseTaxCode(input);
    return code.ok ? { ok: true, value: { kind: "tax_code", taxCode: code.value } } : code;
  }
  const name = parseText(input, ENTERPRISE_NAME_RULE);
  return name.ok ? { ok: true, value: { kind: "name", name: name.value } } : name;
};
