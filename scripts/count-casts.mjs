#!/usr/bin/env node
// Counts type assertions (`x as T`, `<T>x`; `as const` excluded) and, separately, `as never`,
// per folder of src/ and bench/, with the TypeScript compiler API (syntax only, no type check).
// Usage: node scripts/count-casts.mjs [--list]   (--list prints every assertion with its line)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import ts from "typescript";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const list = process.argv.includes("--list");

/** Every .ts file under a folder, depth first. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "results" ? [] : files(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The assertions of one file: each with its line and whether it is `as never`. */
function assertions(path) {
  const text = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const type = node.type;
      const isConst = ts.isTypeReferenceNode(type) && type.typeName.getText(source) === "const";
      if (!isConst) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ line, never: type.kind === ts.SyntaxKind.NeverKeyword, text: node.getText(source).replace(/\s+/g, " ").slice(0, 100) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const totals = {};
for (const top of ["src", "bench"]) {
  const perFolder = new Map();
  let casts = 0;
  let never = 0;
  for (const path of files(join(root, top))) {
    const rel = relative(root, path);
    const folder = dirname(rel);
    const found = assertions(path);
    const entry = perFolder.get(folder) ?? { casts: 0, never: 0 };
    entry.casts += found.length;
    entry.never += found.filter((f) => f.never).length;
    perFolder.set(folder, entry);
    casts += found.length;
    never += found.filter((f) => f.never).length;
    if (list) for (const f of found) console.log(`${rel}:${f.line}  ${f.text}`);
  }
  console.log(`\n${top}/`);
  for (const [folder, { casts: c, never: n }] of [...perFolder].sort()) {
    if (c > 0) console.log(`  ${folder.padEnd(32)} casts ${String(c).padStart(3)}   as never ${String(n).padStart(3)}`);
  }
  console.log(`  ${"total".padEnd(32)} casts ${String(casts).padStart(3)}   as never ${String(never).padStart(3)}`);
  totals[top] = { casts, never };
}
console.log(`\nall: casts ${totals.src.casts + totals.bench.casts}, as never ${totals.src.never + totals.bench.never}`);
