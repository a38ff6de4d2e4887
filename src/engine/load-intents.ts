/** Reads `flows/intents.yaml` (what people type: intents, global words, chat tables) from disk. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { intentsFileSchema, type IntentsFile } from "../domain/understand/intents-schema.js";

/** The intents file's name inside the flows directory (it is not a flow). */
export const INTENTS_FILE = "intents.yaml";

/** Parses the intents file; problems come back as lines, like the flow checker's. */
export function readIntentsFile(dir: string, label = "flows"): { file?: IntentsFile; problems: string[] } {
  const where = `${label}/${INTENTS_FILE}`;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(join(dir, INTENTS_FILE), "utf8"));
  } catch (err) {
    return { problems: [`${where}: cannot read: ${(err as Error).message.split("\n")[0]}`] };
  }
  const parsed = intentsFileSchema.safeParse(raw);
  if (parsed.success) return { file: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((i) => `${where} [${i.path.join(".")}]: ${i.message}`) };
}

/** Loads the intents file for the running bot; throws listing every problem. */
export function loadIntentsFile(dir: string): IntentsFile {
  const { file, problems } = readIntentsFile(dir);
  if (!file) throw new Error(`intents have ${problems.length} problem(s):\n${problems.join("\n")}`);
  return file;
}
