/**
 * The bot's start loads no library that only staff tools use: exceljs alone took ~250 ms to
 * import, a quarter of the start-up goal (2 s), so exports and QR posters load theirs on first use.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { reachedPackages } from "./helpers/static-imports.js";

const ON_FIRST_USE = ["exceljs", "qrcode"];

describe("start-up weight", () => {
  it("src/main.ts reaches neither exceljs nor qrcode through static imports", () => {
    const reached = [...reachedPackages(resolve("src/main.ts"))];
    expect(reached).toContain("mongoose");
    expect(reached.filter((p) => ON_FIRST_USE.includes(p))).toEqual([]);
  });
});
