import { describe, expect, it } from "vitest";
import { splitText } from "../../../src/channels/shared/split-text.js";

describe("splitText", () => {
  it("returns short text unchanged", () => {
    expect(splitText("Xin chào", 100)).toEqual(["Xin chào"]);
    expect(splitText("", 100)).toEqual([""]);
  });

  it("prefers paragraph boundaries", () => {
    const a = "Đoạn một có khá nhiều chữ.";
    const b = "Đoạn hai cũng vậy, dài dài.";
    expect(splitText(`${a}\n\n${b}`, 40)).toEqual([a, b]);
  });

  it("falls back to line, then word boundaries, never cutting a word", () => {
    const lines = "dòng thứ nhất\ndòng thứ hai\ndòng thứ ba";
    expect(splitText(lines, 28)).toEqual(["dòng thứ nhất\ndòng thứ hai", "dòng thứ ba"]);
    const words = "năng suất chất lượng ".repeat(20).trim();
    const parts = splitText(words, 50);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(50);
      for (const w of p.split(" ")) expect(["năng", "suất", "chất", "lượng"]).toContain(w);
    }
    expect(parts.join(" ")).toBe(words);
  });

  it("hard-splits an unbroken run only between characters, never inside one", () => {
    // Decomposed Vietnamese (base letter + combining marks) and emoji (surrogate pairs).
    const nfd = "Khánh Hòa".normalize("NFD").replace(/ /g, "");
    const run = (nfd + "😀🇻🇳").repeat(30);
    const parts = splitText(run, 20);
    expect(parts.join("")).toBe(run);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(20);
      expect(p).not.toMatch(/^[\u0300-\u036f]/); // no part starts with an orphaned combining mark
      expect(p).not.toMatch(/^[\udc00-\udfff]/); // nor with half a surrogate pair
      expect(p).not.toMatch(/[\ud800-\udbff]$/);
    }
  });

  it("keeps every part within the limit for long multi-paragraph text", () => {
    const text = Array.from({ length: 50 }, (_, i) => `Đoạn ${i}: ${"chữ ".repeat(i * 7)}`.trim()).join("\n\n");
    const parts = splitText(text, 300);
    expect(parts.every((p) => p.length <= 300 && p.length > 0)).toBe(true);
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });

  it("rejects a nonsensical limit", () => {
    expect(() => splitText("x", 3)).toThrow(RangeError);
  });
});
