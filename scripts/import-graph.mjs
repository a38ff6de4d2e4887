#!/usr/bin/env node
/**
 * Prints which parts of src/ import which (from the import statements themselves), as the
 * Markdown table in docs/ARCHITECTURE.md: `node scripts/import-graph.mjs`. A part is a folder
 * under src/ (src/channels/<name> and src/admin/* one level deeper), or a root file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

/** Every .ts file under `dir`. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The part a file belongs to. */
function partOf(file) {
  const parts = relative(src, file).split("/");
  if (parts.length === 1) return parts[0].replace(/\.ts$/, "");
  if ((parts[0] === "channels" || parts[0] === "admin" || parts[0] === "domain") && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

const graph = new Map();
const external = new Map();
for (const file of files(src)) {
  const from = partOf(file);
  const text = readFileSync(file, "utf8");
  // Static imports and lazy `import()`; type-only imports count too (they are dependencies of the design).
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith(".")) {
      const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
      if (!target.startsWith(src)) continue;
      const to = partOf(target);
      if (to !== from) (graph.get(from) ?? graph.set(from, new Set()).get(from)).add(to);
    } else if (!spec.startsWith("node:")) {
      const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      (external.get(from) ?? external.set(from, new Set()).get(from)).add(pkg);
    }
  }
}

const names = [...new Set([...graph.keys(), ...external.keys()])].sort();
console.log("| part of src/ | imports (inside src/) | packages |");
console.log("| --- | --- | --- |");
for (const name of names) {
  const inside = [...(graph.get(name) ?? [])].sort().map((n) => `\`${n}\``).join(", ") || "—";
  const pkgs = [...(external.get(name) ?? [])].sort().join(", ") || "—";
  console.log(`| \`${name}\` | ${inside} | ${pkgs} |`);
}
