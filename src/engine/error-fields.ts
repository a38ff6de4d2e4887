/** Safe fields to log about an error (name, code; a FlowError's id-only context): defined once in src/shared/. */
export { errorFields } from "../shared/error-fields.js";
