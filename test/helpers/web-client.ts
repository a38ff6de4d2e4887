/**
 * A scripted web chat visitor over a real WebSocket (the `ws` client): gets a cookie from
 * `GET /chat` like a browser, then sends frames and waits for the bot's. Every wait has a deadline.
 */
import { randomBytes } from "node:crypto";
import WebSocket from "ws";

/** A frame from the bot, loosely typed for tests. */
export interface Frame {
  t: string;
  id?: string;
  code?: string;
  text?: string;
  on?: boolean;
  locale?: string;
  persistent?: boolean;
  history?: Entry[];
  entry?: Entry;
}

/** A chat message as the page gets it. */
export interface Entry {
  from: "bot" | "user";
  text: string;
  choices?: { id: string; label: string }[];
  shortcuts?: { id: string; label: string }[];
  file?: { name: string; url: string; label: string };
  locale?: string;
}

/** `GET /chat` as a browser would: the visitor cookie (`name=value`) it sets. */
export async function visitorCookie(base: string, acceptLanguage = "vi"): Promise<string> {
  const response = await fetch(`${base}/chat`, { headers: { "accept-language": acceptLanguage } });
  const set = response.headers.get("set-cookie") ?? "";
  await response.text();
  const cookie = set.split(";")[0] ?? "";
  if (!cookie.startsWith("nscl_visitor=")) throw new Error("no visitor cookie");
  return cookie;
}

/** A connected visitor. */
export class WebVisitor {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    socket.on("close", (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Opens the socket (rejects with the HTTP status when the upgrade is refused). */
  static open(base: string, headers: Record<string, string>): Promise<WebVisitor> {
    const socket = new WebSocket(`${base.replace(/^http/, "ws")}/chat/socket`, { headers });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new WebVisitor(socket)));
      socket.once("unexpected-response", (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      socket.once("error", reject);
    });
  }

  /** The bot messages received so far. */
  get botEntries(): Entry[] {
    return this.frames.filter((f) => f.t === "msg" && f.entry?.from === "bot").map((f) => f.entry!);
  }

  /** Waits until `test` holds over the frames (or the socket closed), at most `ms`. */
  async waitFor(test: (frames: Frame[]) => boolean, ms = 20_000, what = "frames"): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test(this.frames)) {
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.frames.slice(-4))}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  /** Sends a raw frame. */
  raw(data: string): void {
    this.socket.send(data);
  }

  /** Sends a frame and waits for the bot's reply to it: the ack, then the typing indicator off. Returns the bot entries it got. */
  async say(frame: Record<string, unknown>, ms = 20_000): Promise<Entry[]> {
    const id = (frame.id as string | undefined) ?? randomBytes(8).toString("hex");
    let from = this.frames.length;
    // A busy bot (the message could not be stored) gets it again shortly, as the page does.
    for (let attempt = 0; ; attempt++) {
      from = this.frames.length;
      this.raw(JSON.stringify({ ...frame, id }));
      await this.waitFor((fs) => fs.slice(from).some((f) => (f.t === "ack" || f.t === "error") && f.id === id), ms, `ack of ${id}`);
      const busy = this.frames.slice(from).some((f) => f.t === "error" && f.id === id && f.code === "busy");
      if (!busy || attempt >= 4) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    if (this.frames.slice(from).some((f) => f.t === "error" && f.id === id)) return [];
    await this.waitFor((fs) => fs.slice(from).some((f) => f.t === "typing" && f.on === false), ms, `reply to ${id}`);
    return this.frames.slice(from).filter((f) => f.t === "msg" && f.entry?.from === "bot").map((f) => f.entry!);
  }

  /** Types text. */
  text(text: string, lang?: string): Promise<Entry[]> {
    return this.say({ t: "text", text, ...(lang ? { lang } : {}) });
  }

  /** Presses the button of the latest bot message whose label matches. */
  press(label: RegExp): Promise<Entry[]> {
    const history = this.frames.find((f) => f.t === "hello")?.history ?? [];
    const candidates = this.botEntries.length > 0 ? [...this.botEntries].reverse() : [...history].reverse();
    for (const entry of candidates) {
      const choice = [...(entry.choices ?? []), ...(entry.shortcuts ?? [])].find((c) => label.test(c.label));
      if (choice) return this.say({ t: "choice", choiceId: choice.id, label: choice.label });
      if (entry.choices?.length) break;
    }
    throw new Error(`no button ${label} in ${JSON.stringify(candidates.slice(0, 2))}`);
  }

  close(): Promise<void> {
    if (this.closeCode !== undefined) return Promise.resolve();
    return new Promise((r) => {
      this.socket.once("close", () => r());
      this.socket.close();
    });
  }
}
