/** Wraps a validator so that "-", "skip", "bỏ qua"… answer an optional question with `null`. */
import type { Validator } from "../../engine/validation.js";
import { isSkipAnswer } from "../text.js";

/** The same validator, but a skip word yields `null` instead of an error. */
export function optional<T>(validator: Validator<T>): Validator<T | null> {
  return (input, ctx) => (isSkipAnswer(input) ? { ok: true, value: null } : validator(input, ctx));
}
