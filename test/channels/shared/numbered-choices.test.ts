import { describe, expect, it } from "vitest";
import { ChoiceMemory, pickNumberedChoice, renderNumberedChoices } from "../../../src/channels/shared/numbered-choices.js";

const choices = [
  { id: "a", label: "Một" },
  { id: "b", label: "Hai" },
];

describe("numbered choices", () => {
  it("renders choices as numbered lines after the text", () => {
    expect(renderNumberedChoices("Chọn:", choices)).toBe("Chọn:\n\n1. Một\n2. Hai");
    expect(renderNumberedChoices("Chỉ chữ", undefined)).toBe("Chỉ chữ");
    expect(renderNumberedChoices("", choices)).toBe("1. Một\n2. Hai");
  });

  it("picks a choice by its number only for a bare, in-range number", () => {
    expect(pickNumberedChoice("2", choices)?.id).toBe("b");
    expect(pickNumberedChoice(" 1. ", choices)?.id).toBe("a");
    expect(pickNumberedChoice("1)", choices)?.id).toBe("a");
    expect(pickNumberedChoice("3", choices)).toBeUndefined();
    expect(pickNumberedChoice("0", choices)).toBeUndefined();
    expect(pickNumberedChoice("2 người", choices)).toBeUndefined();
    expect(pickNumberedChoice("0901234567", choices)).toBeUndefined();
  });

  it("remembers the last batch with choices per user, forgets on a batch without, and stays bounded", () => {
    const memory = new ChoiceMemory(2);
    memory.remember("u1", [{ text: "x", choices }, { text: "y" }]);
    expect(memory.pick("u1", "2")?.id).toBe("b");
    memory.remember("u1", [{ text: "câu hỏi" }]);
    expect(memory.pick("u1", "2")).toBeUndefined();
    memory.remember("u1", [{ text: "x", choices }]);
    memory.remember("u2", [{ text: "x", choices }]);
    memory.remember("u3", [{ text: "x", choices }]);
    expect(memory.pick("u1", "1")).toBeUndefined();
    expect(memory.pick("u3", "1")?.id).toBe("a");
  });
});
