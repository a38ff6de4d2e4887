/** Chat normalisation and personal-data scrubbing, on the real tables of flows/intents.yaml. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createChatNormalizer, foldText } from "../../src/domain/understand/normalize-chat.js";
import { scrubPhrase } from "../../src/domain/understand/scrub.js";
import { loadIntentsFile } from "../../src/runtime/load-intents.js";
import { realUnderstanding } from "./build.js";

const file = loadIntentsFile(resolve(import.meta.dirname, "..", "..", "flows"))!;
const norm = createChatNormalizer(file);

describe("chat normalisation", () => {
  it("folds case, accents (đ too) and punctuation; NFD input equals NFC", () => {
    expect(foldText("Đăng KÝ!!  khóa học 😀")).toBe("dang ky khoa hoc");
    expect(foldText("hủy".normalize("NFD"))).toBe(foldText("hủy"));
  });

  it("expands chat abbreviations and drops politeness", () => {
    expect(norm("cho em hỏi dn ngoài tỉnh có đc hỗ trợ ko ạ").join(" ")).toBe("doanh nghiep ngoai tinh co duoc ho tro khong");
    expect(norm("ad ơi, mk muốn dk khoá học").join(" ")).toBe("minh muon dang ky khoa hoc");
    expect(norm("ạ").join(" ")).toBe("a");
  });

  it("global words are whole messages only, accents and politeness optional", () => {
    const u = realUnderstanding();
    expect(u.globalWord("Hủy ạ")).toBe("cancel");
    expect(u.globalWord("quay lai")).toBe("back");
    expect(u.globalWord("cho em gặp cán bộ ạ")).toBe(null);
    expect(u.globalWord("gap can bo")).toBe("human");
    expect(u.globalWord("hủy đăng ký khóa học")).toBe(null);
    expect(u.yesNo("dạ có ạ")).toBe("yes");
    expect(u.yesNo("ko đồng ý")).toBe("no");
  });
});

describe("scrubbing unrecognised phrases", () => {
  it("removes phones, emails, tax codes, ID numbers and handles; keeps short numbers", () => {
    expect(scrubPhrase("sdt em 0912.345.678, +84 912 345 678, mail an_nguyen@cty.com.vn")).toBe("sdt em <số>, <số>, mail <email>");
    expect(scrubPhrase("MST 0100109106-001 CCCD 079123456789 @nguyenvana")).toBe("MST <số> CCCD <số> <tài khoản>");
    expect(scrubPhrase("lớp 5S ngày 12/3 có 20 chỗ")).toBe("lớp 5S ngày 12/3 có 20 chỗ");
  });
});
