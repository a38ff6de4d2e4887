/** A small stand-in for the real runner: a menu, an echo, long text, a failure and a slow path. */
import type { Bot, Incoming, Outgoing } from "../../src/engine/messages.js";

/** The main menu the fake shows for /start. */
export const MENU: Outgoing = {
  text: "Chào mừng! Anh/chị cần gì?",
  choices: [
    { id: "policies", label: "Chính sách hỗ trợ" },
    { id: "register", label: "Đăng ký doanh nghiệp" },
    { id: "courses", label: "Khoá đào tạo" },
  ],
};

/** Paragraphs of Vietnamese text, `count` long, each about 300 characters. */
export function longText(count: number): string {
  const para =
    "Kế hoạch nâng cao năng suất và chất lượng sản phẩm, hàng hoá của doanh nghiệp trên địa bàn tỉnh Khánh Hoà " +
    "giai đoạn 2021–2025 hướng tới việc áp dụng hệ thống quản lý, công cụ cải tiến và đào tạo chuyên gia.";
  return Array.from({ length: count }, (_, i) => `${i + 1}. ${para} ${para}`).join("\n\n");
}

/** A fake `Bot` that records what it received. */
export class FakeBot implements Bot {
  readonly received: Incoming[] = [];
  private releaseSlow: (() => void) | undefined;
  private slowGate: Promise<void> | undefined;

  /** Makes the next "slow" message wait until `release()` is called. */
  holdSlow(): void {
    this.slowGate = new Promise((resolve) => (this.releaseSlow = resolve));
  }

  /** Lets a held "slow" message finish. */
  release(): void {
    this.releaseSlow?.();
  }

  private waiters: (() => void)[] = [];

  /** Resolves once `count` updates reached the bot (bounded by `timeoutMs`). */
  waitForReceived(count: number, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake bot: ${this.received.length}/${count} received`)), timeoutMs);
      const check = (): void => {
        if (this.received.length < count) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  async handle(incoming: Incoming): Promise<Outgoing[]> {
    this.received.push(incoming);
    for (const w of [...this.waiters]) w();
    if (incoming.kind === "choice") return [{ text: `Đã chọn: ${incoming.choiceId}` }];
    if (incoming.kind === "unsupported") return [{ text: "Vui lòng gõ nội dung hoặc chọn một mục." }];
    const text = incoming.text ?? "";
    if (text === "/start" || text === "menu") return [MENU];
    if (text === "long") return [{ text: longText(30) }];
    if (text === "boom") throw new Error("engine exploded");
    if (text === "slow") {
      await this.slowGate;
      return [{ text: "slow done" }];
    }
    if (text === "doc") {
      return [{ text: "Tệp xuất", document: { filename: "x.csv", mimeType: "text/csv", content: Buffer.from("a,b\n") } }];
    }
    return [{ text: `echo: ${text}` }];
  }
}
