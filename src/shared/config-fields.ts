/** Building blocks for settings read from the environment (the app's and each channel's fragment). */
import { z } from "zod";

/** A trimmed string; empty means unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** An optional full URL, with an example in the message. */
export const optionalUrl = (example: string) => optionalString.pipe(z.url({ message: `must be a full URL, e.g. ${example}` }).optional());

/** A positive rate (messages per second) with a default. */
export const ratePerSecond = (example: number) => z.coerce.number({ message: `must be a number, e.g. ${example}` }).positive().default(example);
