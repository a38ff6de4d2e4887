import { describe, expect, it } from "vitest";
import { renderNumberedChoices } from "../../../src/channels/shared/numbered-choices.js";

const choices = [
  { id: "a", label: "Một" },
  { id: "b", label: "Hai" },
];

describe("numbered choices", () => {
  it("renders choices as numbered lines after the text", () => {
    expect(renderNumberedChoices("Chọn:", choices)).toBe("Chọn:\n\n1. Một\n2. Hai");
    expect(renderNumberedChoices("Chỉ chữ", undefined)).toBe("Chỉ chữ");
    expect(renderNumberedChoices("Chỉ chữ", [])).toBe("Chỉ chữ");
    expect(renderNumberedChoices("", choices)).toBe("1. Một\n2. Hai");
  });
});
