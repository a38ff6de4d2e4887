/** Log fields for an error (name and code only): the one helper in src/shared/, under the name channel code uses. */
export { errorFields as describeError } from "../../shared/error-fields.js";
