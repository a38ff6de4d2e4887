/** The real understanding, built from flows/intents.yaml and the real policies content (as the app does). */
import { resolve } from "node:path";
import { createUnderstanding } from "../../src/domain/understand/matcher.js";
import { loadIntentsFile } from "../../src/runtime/load-intents.js";
import type { Msg } from "../../src/engine/messages.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

const root = resolve(import.meta.dirname, "..", "..");

/** The understanding over the repository's own data; sections answer with a placeholder message. */
export function realUnderstanding(contact: Msg[] = []) {
  return createUnderstanding({
    file: loadIntentsFile(resolve(root, "flows"))!,
    sectionMessages: (id) => [{ key: k(`policies:sections.${id}.p1`) }],
    contact,
  });
}
