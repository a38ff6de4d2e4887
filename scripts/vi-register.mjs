// The register of a government department in Vietnamese (issue #13, item 8), as a re-runnable pass:
// `node scripts/vi-register.mjs` rewrites locales/vi/*.json (except staff.json, which speaks to
// staff) so the bot addresses people as "Anh/Chị" (an enterprise as "Quý doanh nghiệp"), speaks
// as "Sở"/"chúng tôi" and calls the plan "Kế hoạch". Idempotent: running it twice changes nothing.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const dir = process.argv[2] ?? resolve(import.meta.dirname, "..", "locales", "vi");
const SKIP = new Set(["staff.json"]);

// Whole strings rewritten by key (file:path), where a word-by-word rule would read badly.
const BY_KEY = {
  "common.json:welcome": "Sở Khoa học và Công nghệ tỉnh Khánh Hòa xin chào Anh/Chị! Đây là kênh hỗ trợ tự động về Kế hoạch nâng cao năng suất chất lượng (NSCL) của tỉnh: Sở giới thiệu các chính sách hỗ trợ, giúp Quý doanh nghiệp đăng ký nhận hỗ trợ và giúp Anh/Chị đăng ký các khóa đào tạo.",
  "common.json:fallback": "Xin lỗi, Sở chưa hiểu ý Anh/Chị. Đây là những việc Sở có thể hỗ trợ:",
  "common.json:help.intro": "Sở có thể hỗ trợ Anh/Chị:\n• tìm hiểu Kế hoạch nâng cao năng suất chất lượng của tỉnh Khánh Hòa;\n• kiểm tra doanh nghiệp có thuộc đối tượng được hỗ trợ không;\n• đăng ký doanh nghiệp nhận hỗ trợ;\n• đăng ký khóa đào tạo và xem các đăng ký của Anh/Chị.",
  "common.json:errors.unknown_command": "Sở chưa có lệnh này. Gõ /help để xem các lệnh, hoặc gõ *menu* để về menu chính.",
  "common.json:errors.unsupported_input": "Xin lỗi, Sở chỉ đọc được tin nhắn dạng chữ. Vui lòng gõ câu trả lời hoặc chọn một mục.",
  "common.json:errors.too_many_failures": "Có vẻ Anh/Chị đang gặp khó khăn. Gõ *trợ giúp* để được hướng dẫn, *hủy* để dừng, hoặc *gặp cán bộ* để hỏi cán bộ của Sở.",
};

// Word rules, in order: [pattern, replacement]. "của tôi" (the person's own, e.g. "Đăng ký của tôi") is kept.
const RULES = [
  [/[Dd]oanh nghiệp của bạn/g, "Quý doanh nghiệp"],
  [/Chương trình nâng cao năng suất và chất lượng/g, "Kế hoạch nâng cao năng suất chất lượng"],
  [/chương trình nâng cao năng suất (và )?chất lượng/g, "Kế hoạch nâng cao năng suất chất lượng"],
  [/(^|[.!?:]\s+|\n)Bạn\b/g, "$1Anh/Chị"],
  [/\bBạn\b/g, "Anh/Chị"],
  [/\bbạn\b/g, "Anh/Chị"],
  [/(^|[.!?]\s+|\n)Tôi\b/g, "$1Sở"],
  [/\b(Xin lỗi|Cảm ơn), tôi\b/g, "$1, Sở"],
  [/(?<!của |cho |với |[Cc]húng )\btôi\b(?= (sẽ|chưa|không|có thể|chỉ|đang|đã))/g, "Sở"],
];

function rewrite(text) {
  let out = text;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}

function walk(node, path, file) {
  if (typeof node === "string") return BY_KEY[`${file}:${path}`] ?? rewrite(node);
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) node[k] = walk(v, path ? `${path}.${k}` : k, file);
  }
  return node;
}

let changed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && !SKIP.has(f))) {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = `${JSON.stringify(walk(JSON.parse(before), "", file), null, 2)}\n`;
  if (after !== before) {
    writeFileSync(path, after);
    changed += 1;
  }
}
console.log(`vi register: ${changed} file(s) rewritten`);
