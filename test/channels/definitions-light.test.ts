/**
 * A channel's definition (its `index.ts`, error classifier included) loads no platform library:
 * following its static imports never reaches telegraf or axios, which load only inside `create`.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { channelDefinitions } from "../../src/channels/registry.js";

const PLATFORM_LIBRARIES = /^(telegraf|axios)(\/|$)/;

// Value imports only: `import type` and dynamic `import()` load nothing at definition time.
const STATIC_IMPORT = /^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gm;

/** Every bare package a module reaches through static value imports inside src/. */
function reachedPackages(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) {
    if (!specifier) continue;
    if (specifier.startsWith(".")) reachedPackages(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")), seen, packages);
    else packages.add(specifier);
  }
  return packages;
}

describe("channel definitions stay light", () => {
  it.each(channelDefinitions.map((d) => d.name))("%s: its definition imports no platform library", (name) => {
    const reached = [...reachedPackages(resolve("src/channels", name, "index.ts"))];
    expect(reached.filter((p) => PLATFORM_LIBRARIES.test(p))).toEqual([]);
  });

  it("the walk finds a platform library where there is one", () => {
    expect([...reachedPackages(resolve("src/channels/telegram/telegram-delivery.ts"))]).toContain("telegraf");
    expect([...reachedPackages(resolve("src/channels/zalo/zalo-client.ts"))]).toContain("axios");
  });
});
