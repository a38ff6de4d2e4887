import { describe, expect, it } from "vitest";
import { matchLabel, normalizeText } from "../../src/engine/match-label.js";

const options = [
  { id: "policies", label: "Chính sách hỗ trợ" },
  { id: "register", label: "Đăng ký doanh nghiệp" },
  { id: "courses", label: "Khóa đào tạo" },
  { id: "my", label: "Đăng ký của tôi" },
  { id: "back", label: "Quay lại" },
];

describe("normalizeText", () => {
  it("drops case, diacritics (đ included) and punctuation", () => {
    expect(normalizeText("  ĐĂNG ký, Doanh-nghiệp! ")).toBe("dang ky doanh nghiep");
    expect(normalizeText("Hỗ trợ")).toBe("ho tro");
  });
});

describe("matchLabel", () => {
  it("picks by 1-based number", () => {
    expect(matchLabel("1", options)).toBe("policies");
    expect(matchLabel(" 3 ", options)).toBe("courses");
    expect(matchLabel("5", options)).toBe("back");
  });

  it("rejects numbers out of range, and numbers when disabled", () => {
    expect(matchLabel("0", options)).toBeNull();
    expect(matchLabel("6", options)).toBeNull();
    expect(matchLabel("1", options, { numbers: false })).toBeNull();
  });

  it("matches the exact label without diacritics or case", () => {
    expect(matchLabel("khoa dao tao", options)).toBe("courses");
    expect(matchLabel("KHÓA ĐÀO TẠO", options)).toBe("courses");
    expect(matchLabel("quay lai", options)).toBe("back");
  });

  it("matches a unique part of a label", () => {
    expect(matchLabel("chinh sach", options)).toBe("policies");
    expect(matchLabel("doanh nghiep", options)).toBe("register");
  });

  it("does not guess when words fit several options", () => {
    // "đăng ký" is in both "Đăng ký doanh nghiệp" and "Đăng ký của tôi".
    expect(matchLabel("dang ky", options)).toBeNull();
  });

  it("matches 'dang ky' to 'Đăng ký' when it is the only one", () => {
    expect(matchLabel("dang ky", [{ id: "reg", label: "Đăng ký" }, { id: "x", label: "Thoát" }])).toBe("reg");
  });

  it("matches a sentence containing a whole label", () => {
    expect(matchLabel("toi muon xem khoa dao tao a", options)).toBe("courses");
  });

  it("matches the id as words (typing 'yes' at a Vietnamese yes/no)", () => {
    expect(matchLabel("yes", [{ id: "yes", label: "Có" }, { id: "no", label: "Không" }])).toBe("yes");
    expect(matchLabel("co", [{ id: "yes", label: "Có" }, { id: "no", label: "Không" }])).toBe("yes");
  });

  it("in exact mode ignores partial matches", () => {
    expect(matchLabel("chinh sach", options, { exact: true })).toBeNull();
    expect(matchLabel("bo qua", [{ id: "skip", label: "Bỏ qua" }], { exact: true, numbers: false })).toBe("skip");
  });

  it("does not match words inside other words or empty input", () => {
    expect(matchLabel("lai", [{ id: "a", label: "Quay lại" }, { id: "b", label: "Lại nữa" }])).toBeNull();
    expect(matchLabel("!!!", options)).toBeNull();
    expect(matchLabel("hoc", options)).toBeNull();
  });
});
