import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createTerminalChannel, formatOutgoing } from "../../../src/channels/terminal/terminal-channel.js";
import type { Bot, Incoming } from "../../../src/engine/messages.js";

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe("terminal channel", () => {
  it("hands each line to the bot in order and prints replies before finishing", async () => {
    const seen: Incoming[] = [];
    const bot: Bot = {
      async handle(incoming) {
        seen.push(incoming);
        // Later lines must wait for earlier ones even when the bot is slow.
        await new Promise((r) => setTimeout(r, incoming.text === "first" ? 30 : 0));
        return [{ text: `echo ${incoming.text}`, locale: "en", choices: [{ id: "a", label: "Alpha" }, { id: "b", label: "Beta" }] }];
      },
    };
    const input = new PassThrough();
    const output = new PassThrough();
    const printed = collect(output);
    const channel = createTerminalChannel({ bot, input, output, choiceHint: (l) => (l === "en" ? "(type a number)" : "(gõ số)") });
    const done = channel.start();
    input.end("first\n\nsecond\n");
    await done;
    expect(seen.map((i) => i.text)).toEqual(["first", "second"]);
    expect(seen[0]?.user).toEqual({ channel: "terminal", userId: "local" });
    expect(printed().indexOf("echo first")).toBeLessThan(printed().indexOf("echo second"));
    expect(printed()).toContain("1. Alpha\n2. Beta\n(type a number)");
  });

  it("refuses to push messages after the chat closed", async () => {
    const input = new PassThrough();
    const channel = createTerminalChannel({ bot: { handle: async () => [] }, input, output: new PassThrough() });
    const done = channel.start();
    input.end();
    await done;
    expect(await channel.sender.send("local", { text: "hi" })).toEqual({ ok: false, kind: "unreachable", code: "terminal_closed" });
  });

  it("saves an attached document and says where, instead of dropping it", async () => {
    const saved: string[] = [];
    const bot: Bot = { handle: async () => [{ text: "Export", locale: "en", document: { filename: "r.csv", mimeType: "text/csv", content: Buffer.from("a,b") } }] };
    const input = new PassThrough();
    const output = new PassThrough();
    const printed = collect(output);
    const channel = createTerminalChannel({
      bot,
      input,
      output,
      saveDocument: (doc, locale) => (saved.push(`${doc.filename}:${doc.content.toString()}`), `saved (${locale})`),
    });
    const done = channel.start();
    input.end("/export\n");
    await done;
    expect(saved).toEqual(["r.csv:a,b"]);
    expect(printed()).toContain("Export\nsaved (en)");
    expect(printed()).not.toContain("bytes]");
  });

  it("shows shortcuts not at all: the hint stays one line, with no numbered list or 'type a number'", () => {
    const text = formatOutgoing({ text: "Gõ *menu* để xem các mục.", shortcuts: [{ id: "x.policies", label: "Chính sách" }] }, () => "type a number");
    expect(text).toBe("Gõ *menu* để xem các mục.");
  });

  it("shows an attached document by name and size", () => {
    const text = formatOutgoing({ text: "Export", document: { filename: "r.csv", mimeType: "text/csv", content: Buffer.from("abc") } });
    expect(text).toBe("Export\n[r.csv, 3 bytes]");
  });
});
