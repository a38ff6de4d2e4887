import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDate, formatNumber } from "../../src/i18n/format-param.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

function localesDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "locales-"));
  for (const [path, content] of Object.entries(files)) {
    const [lng] = path.split("/");
    mkdirSync(join(dir, lng!), { recursive: true });
    writeFileSync(join(dir, path), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

const dir = localesDir({
  "vi/common.json": { hello: "Xin chào {{name}}", when: "Bắt đầu: {{start}}", seats: "Còn {{n}} chỗ", raw: "<b>{{x}}</b> & co", only_vi: "Chỉ tiếng Việt", nested: { deep: { key: "Sâu" } } },
  "en/common.json": { hello: "Hello {{name}}", when: "Starts: {{start}}", seats: "{{n}} seats left", raw: "<b>{{x}}</b> & co", nested: { deep: { key: "Deep" } }, items_one: "{{count}} item", items_other: "{{count}} items" },
  "vi/courses.json": { title: "Khóa học" },
  "en/courses.json": { title: "Course" },
});
const renderer = createRenderer({ localesDir: dir, timeZone: "Asia/Ho_Chi_Minh" });

describe("createRenderer", () => {
  it("renders keys with namespaces and nested paths in each locale", () => {
    expect(renderer.render({ key: k("common:hello"), params: { name: "Lan" } }, "vi")).toBe("Xin chào Lan");
    expect(renderer.render({ key: k("common:hello"), params: { name: "Lan" } }, "en")).toBe("Hello Lan");
    expect(renderer.render({ key: k("courses:title") }, "en")).toBe("Course");
    expect(renderer.render({ key: k("common:nested.deep.key") }, "vi")).toBe("Sâu");
  });

  it("formats dates in the configured time zone for the locale", () => {
    const start = new Date("2026-11-25T07:00:00Z"); // 14:00 in Asia/Ho_Chi_Minh
    expect(renderer.render({ key: k("common:when"), params: { start } }, "vi")).toBe("Bắt đầu: 25/11/2026 14:00");
    expect(renderer.render({ key: k("common:when"), params: { start } }, "en")).toBe("Starts: 25 Nov 2026, 14:00");
    expect(formatDate(new Date("2026-01-01T16:59:00Z"), "vi", "Asia/Ho_Chi_Minh")).toBe("01/01/2026 23:59");
  });

  it("localizes numbers, and keeps count for plurals", () => {
    expect(renderer.render({ key: k("common:seats"), params: { n: 1234.5 } }, "vi")).toBe("Còn 1.234,5 chỗ");
    expect(renderer.render({ key: k("common:seats"), params: { n: 1234.5 } }, "en")).toBe("1,234.5 seats left");
    expect(formatNumber(2000, "vi")).toBe("2.000");
    expect(renderer.render({ key: k("common:items"), params: { count: 1 } }, "en")).toBe("1 item");
    expect(renderer.render({ key: k("common:items"), params: { count: 3 } }, "en")).toBe("3 items");
  });

  it("does not escape (the channel does)", () => {
    expect(renderer.render({ key: k("common:raw"), params: { x: "a<b>&\"" } }, "vi")).toBe("<b>a<b>&\"</b> & co");
  });

  it("hasKey checks the exact locale, without fallback", () => {
    expect(renderer.hasKey("common:only_vi", "vi")).toBe(true);
    expect(renderer.hasKey("common:only_vi", "en")).toBe(false);
    expect(renderer.hasKey("common:nested", "vi")).toBe(false);
    expect(renderer.hasKey("common:items_one", "en")).toBe(true);
    expect(renderer.hasKey("nope:x", "vi")).toBe(false);
  });

  it("a key missing in English falls back to Vietnamese; a key missing everywhere shows the key", () => {
    expect(renderer.render({ key: k("common:only_vi") }, "en")).toBe("Chỉ tiếng Việt");
    expect(renderer.render({ key: k("common:absent") }, "en")).toBe("absent");
  });

  it("a parameter-less key renders the same text every time, per locale (cached), and params still apply", () => {
    for (let i = 0; i < 3; i++) {
      expect(renderer.render({ key: k("courses:title") }, "vi")).toBe("Khóa học");
      expect(renderer.render({ key: k("courses:title") }, "en")).toBe("Course");
      expect(renderer.render({ key: k("common:only_vi") }, "en")).toBe("Chỉ tiếng Việt");
      expect(renderer.render({ key: k("common:absent") }, "vi")).toBe("absent");
    }
    expect(renderer.render({ key: k("common:hello"), params: { name: "B" } }, "vi")).toBe("Xin chào B");
    expect(renderer.render({ key: k("common:hello"), params: { name: "C" } }, "vi")).toBe("Xin chào C");
  });

  it("instances are independent (no global singleton)", () => {
    const other = createRenderer({ localesDir: localesDir({ "vi/common.json": { hello: "Khác" }, "en/common.json": { hello: "Other" } }), timeZone: "UTC" });
    expect(other.render({ key: k("common:hello") }, "en")).toBe("Other");
    expect(renderer.render({ key: k("common:hello"), params: { name: "A" } }, "en")).toBe("Hello A");
  });
});

describe("loadLocales", () => {
  it("reads namespaces from file names and names a malformed file", () => {
    expect(Object.keys(loadLocales(dir).vi).sort()).toEqual(["common", "courses"]);
    const bad = localesDir({ "vi/common.json": "{ nope", "en/common.json": {} });
    expect(() => loadLocales(bad)).toThrow(/vi\/common\.json/);
  });

  it("a missing locale folder loads as empty", () => {
    const only = localesDir({ "vi/common.json": { a: "b" } });
    expect(loadLocales(only).en).toEqual({});
  });
});
