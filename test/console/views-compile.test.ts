/** Every console template compiles (a broken tag would otherwise only show as a 500 on its page). */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Eta } from "eta";
import { describe, expect, it } from "vitest";

const VIEWS = resolve(import.meta.dirname, "..", "..", "src", "console", "views");
const views = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? views(join(dir, e.name)) : e.name.endsWith(".eta") ? [join(dir, e.name)] : []));

describe("console templates", () => {
  it("all compile", () => {
    const eta = new Eta({ views: VIEWS, autoEscape: true });
    const broken: string[] = [];
    for (const file of views(VIEWS)) {
      try {
        eta.compile(readFileSync(file, "utf8"));
      } catch (error) {
        broken.push(`${relative(VIEWS, file)}: ${String(error).split("\n")[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
