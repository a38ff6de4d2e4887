import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");

/** Runs `flows:check` as people do, on a flows folder of our own. */
/** The project's locales with a menu of the built-in commands only (these flow folders have no other command). */
function builtinMenuLocales(): string {
  const dir = mkdtempSync(join(tmpdir(), "locales-cli-"));
  cpSync(resolve(root, "locales"), dir, { recursive: true });
  for (const lng of ["vi", "en"]) {
    const file = join(dir, lng, "channels.json");
    const channels = JSON.parse(readFileSync(file, "utf8")) as { commands: Record<string, string> };
    channels.commands = Object.fromEntries(Object.entries(channels.commands).filter(([name]) => ["start", "menu", "help", "lang", "cancel"].includes(name)));
    writeFileSync(file, JSON.stringify(channels));
  }
  return dir;
}
const localesDir = builtinMenuLocales();

function check(flowsDir: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/runtime/check-cli.ts", flowsDir, localesDir], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function flowsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flows-cli-"));
  for (const name of ["help.yaml", "language.yaml"]) cpSync(resolve(root, "flows", name), join(dir, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const MAIN = "id: main\nstart: menu\nsteps:\n  - id: menu\n    type: menu\n    text: common:menu.text\n    back: false\n    choices:\n      - { id: help, label: common:menu.help, flow: help }\n";

describe("npm run flows:check", () => {
  it("exits 0 with a one-line summary when everything is fine", () => {
    const r = check(flowsDir({ "main.yaml": MAIN }));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^flows:check ok: 3 file\(s\), 3 flow\(s\), \d+ step\(s\)$/);
  });

  it("exits non-zero naming the file and the step of a broken reference", () => {
    const r = check(flowsDir({ "main.yaml": MAIN.replace("flow: help", "flow: nowhere") }));
    expect(r.code).toBe(1);
    expect(r.err).toContain("flows/main.yaml [flow main, step menu]: unknown flow \"nowhere\"");
  });
});
