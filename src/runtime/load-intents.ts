/** Reads `flows/intents.yaml` (what people type: intents, global words, chat tables) from disk. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { intentsFileSchema, type IntentsFile } from "../domain/understand/intents-schema.js";
import { errorMessage } from "../shared/guards.js";

/** The intents file's name inside the flows directory (it is not a flow). */
export const INTENTS_FILE = "intents.yaml";

/** Parses the intents file (none is not a problem: the bot then only reads menus); problems come back as lines. */
export function readIntentsFile(dir: string, label = "flows"): { file?: IntentsFile; problems: string[] } {
  const where = `${label}/${INTENTS_FILE}`;
  if (!existsSync(join(dir, INTENTS_FILE))) return { problems: [] };
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(join(dir, INTENTS_FILE), "utf8"));
  } catch (err) {
    return { problems: [`${where}: cannot read: ${errorMessage(err).split("\n")[0]}`] };
  }
  const parsed = intentsFileSchema.safeParse(raw);
  if (parsed.success) return { file: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((i) => `${where} [${i.path.join(".")}]: ${i.message}`) };
}

/** Loads the intents file for the running bot (null when there is none); throws listing every problem. */
export function loadIntentsFile(dir: string): IntentsFile | null {
  const { file, problems } = readIntentsFile(dir);
  if (!file && problems.length === 0) return null;
  if (!file) throw new Error(`intents have ${problems.length} problem(s):\n${problems.join("\n")}`);
  return file;
}
