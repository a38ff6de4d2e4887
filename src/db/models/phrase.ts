import { Schema, type Connection } from "mongoose";

/**
 * A phrase the bot did not understand, scrubbed of personal data, with how often it was seen,
 * so staff can add examples to flows/intents.yaml. `_id` is the phrase folded (case, accents).
 * Never holds an account id, a phone number, an email or a tax code.
 */
export const phraseSchema = new Schema(
  {
    _id: { type: String, required: true },
    text: { type: String, required: true },
    count: { type: Number, required: true },
    lastAt: { type: Date, required: true },
  },
  { minimize: false, versionKey: false },
);
phraseSchema.index({ lastAt: -1 });

/** The Phrase model on a connection (collection `unrecognised_phrases`). */
export function phraseModel(conn: Connection) {
  return conn.model("Phrase", phraseSchema, "unrecognised_phrases");
}
