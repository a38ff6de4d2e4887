import { describe, expect, it } from "vitest";
import { foldMessages } from "../../src/channels/shared/fold-messages.js";
import type { Outgoing } from "../../src/engine/messages.js";

const say = (text: string, extra: Partial<Outgoing> = {}): Outgoing => ({ text, locale: "vi", ...extra });
const menu = [{ id: "a", label: "A" }];

describe("foldMessages", () => {
  it("folds text-only messages into the next one, keeping order and paragraphs", () => {
    expect(foldMessages([say("Xin chào!"), say("Mục đích…"), say("Bạn đồng ý không?", { choices: menu })], 4096)).toEqual([
      say("Xin chào!\n\nMục đích…\n\nBạn đồng ý không?", { choices: menu }),
    ]);
  });

  it("ends a bubble at choices and at a document, and sends trailing text on its own", () => {
    const doc = { filename: "a.csv", content: Buffer.from("x"), mimeType: "text/csv" };
    const folded = foldMessages([say("1", { choices: menu }), say("2"), say("3", { document: doc }), say("4")], 4096);
    expect(folded.map((m) => m.text)).toEqual(["1", "2\n\n3", "4"]);
    expect(folded[1]?.document).toBe(doc);
  });

  it("folds an answer into the hint that carries shortcuts, and never folds the shortcuts away", () => {
    const folded = foldMessages([say("Cảm ơn!"), say("Gõ menu", { shortcuts: menu }), say("Sau")], 4096);
    expect(folded).toEqual([say("Cảm ơn!\n\nGõ menu", { shortcuts: menu }), say("Sau")]);
  });

  it("does not fold past the platform limit or across languages", () => {
    const long = "x".repeat(3000);
    expect(foldMessages([say(long), say(long)], 4096).map((m) => m.text.length)).toEqual([3000, 3000]);
    expect(foldMessages([say("vi"), say("en", { locale: "en" })], 4096).map((m) => m.text)).toEqual(["vi", "en"]);
    expect(foldMessages([say("a".repeat(4094)), say("b")], 4096)).toHaveLength(2);
    expect(foldMessages([say("a".repeat(4093)), say("b")], 4096)).toHaveLength(1);
  });

  it("leaves nothing out and adds nothing for empty input", () => {
    expect(foldMessages([], 4096)).toEqual([]);
    expect(foldMessages([say("only")], 4096)).toEqual([say("only")]);
  });
});
