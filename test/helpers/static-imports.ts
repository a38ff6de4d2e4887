/** What a module loads as soon as it is imported: the packages its static value imports reach inside src/. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

// Value imports only: `import type` and dynamic `import()` load nothing at import time.
const STATIC_IMPORT = /^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gm;

/** Every bare package `file` reaches through static value imports, following relative ones. */
export function reachedPackages(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) {
    if (!specifier) continue;
    if (specifier.startsWith(".")) reachedPackages(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")), seen, packages);
    else packages.add(specifier);
  }
  return packages;
}
