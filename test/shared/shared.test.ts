import { describe, expect, it } from "vitest";
import { FlowError } from "../../src/engine/flow-error.js";
import { errorFields } from "../../src/shared/error-fields.js";
import { parseUserKey, userKey, userRefOfKey } from "../../src/shared/user-key.js";

describe("user keys", () => {
  it("formats and parses channel:id, keeping colons inside the id", () => {
    expect(userKey({ channel: "zalo", userId: "a:b" })).toBe("zalo:a:b");
    expect(parseUserKey("zalo:a:b")).toEqual({ channel: "zalo", userId: "a:b" });
    expect(parseUserKey(userKey({ channel: "telegram", userId: "42" }))).toEqual({ channel: "telegram", userId: "42" });
  });
  it("refuses a key without a channel part", () => {
    expect(parseUserKey("nocolon")).toBeNull();
    expect(parseUserKey(":123")).toBeNull();
    expect(userRefOfKey("nocolon").channel).toBe("");
  });
});

describe("error fields", () => {
  it("logs the name and code only, never the message (it may carry personal data or a token URL)", () => {
    const error = Object.assign(new Error("Nguyễn Văn A 0912345678 https://api.example/bot123:secret/x"), { code: 11000 });
    const fields = errorFields(error);
    expect(fields).toEqual({ err: "Error", code: 11000 });
    expect(JSON.stringify(fields)).not.toMatch(/0912345678|secret|Nguy/);
  });
  it("keeps a FlowError's id-only detail and context", () => {
    expect(errorFields(new FlowError("unknown step", { flow: "f", step: "s" }))).toEqual({ err: "FlowError", detail: "unknown step", context: { flow: "f", step: "s" } });
  });
  it("names the type of a thrown non-error", () => {
    expect(errorFields("0912345678")).toEqual({ err: "string" });
  });
});
