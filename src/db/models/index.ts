import type { Connection } from "mongoose";
import { contactModel } from "./contact.js";

/**
 * Every model of the app on one connection. Add yours here: indexes declared on schemas are
 * created by `openDatabase` at start.
 */
export function registerModels(conn: Connection) {
  return {
    contact: contactModel(conn),
  };
}

/** The typed set of models. */
export type Models = ReturnType<typeof registerModels>;
