import { describe, expect, it } from "vitest";
import { describeError } from "../../../src/channels/shared/describe-error.js";
import { ZaloApiError } from "../../../src/channels/zalo/zalo-api-error.js";
import { createZaloClient, type ZaloTransport } from "../../../src/channels/zalo/zalo-client.js";
import { parseWebhookUpdate } from "../../../src/channels/zalo/zalo-types.js";
import { startFakeZaloServer } from "../../fakes/zalo-server.js";
import { freePort } from "../telegram/emulator.js";

const TOKEN = "424242:very-secret-zalo-token";

function fakeTransport(answer: { status: number; data: unknown }): ZaloTransport & { requests: unknown[] } {
  const requests: unknown[] = [];
  const transport = async (request: Parameters<ZaloTransport>[0]) => {
    requests.push(request);
    return answer;
  };
  return Object.assign(transport, { requests });
}

describe("Zalo client", () => {
  it("posts JSON to /bot<token>/<method> through the injected transport", async () => {
    const transport = fakeTransport({ status: 200, data: { ok: true, result: { message_id: "m1", date: 1 } } });
    const client = createZaloClient({ token: TOKEN, apiBase: "http://zalo.invalid/", transport });
    expect(await client.sendMessage("chat-1", "Xin chào")).toEqual({ message_id: "m1", date: 1 });
    expect(transport.requests[0]).toMatchObject({
      url: `http://zalo.invalid/bot${TOKEN}/sendMessage`,
      body: { chat_id: "chat-1", text: "Xin chào" },
    });
  });

  it("turns a 408 long-poll answer into a quiet undefined, with an HTTP timeout beyond the poll", async () => {
    const transport = fakeTransport({ status: 200, data: { ok: false, error_code: 408, description: "Request timeout" } });
    const client = createZaloClient({ token: TOKEN, transport });
    expect(await client.getUpdates({ timeoutSeconds: 30 })).toBeUndefined();
    expect(transport.requests[0]).toMatchObject({ body: { timeout: "30" }, timeoutMs: 40_000 });
  });

  it("raises ZaloApiError with error_code, description and retry_after", async () => {
    const client = createZaloClient({
      token: TOKEN,
      transport: fakeTransport({
        status: 429,
        data: { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 3 } },
      }),
    });
    const error = await client.sendMessage("c", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ errorCode: 429, description: "Too Many Requests", retryAfterMs: 3000, method: "sendMessage" });
  });

  it("reports a non-JSON 5xx by its HTTP status", async () => {
    const client = createZaloClient({ token: TOKEN, transport: fakeTransport({ status: 502, data: "<html>Bad Gateway</html>" }) });
    await expect(client.getMe()).rejects.toMatchObject({ errorCode: 502 });
  });

  it("never puts the token in errors or logs, even from the real axios transport", async () => {
    const port = await freePort(); // nothing listens there
    const client = createZaloClient({ token: TOKEN, apiBase: `http://127.0.0.1:${port}` });
    const error = await client.getMe().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ZaloApiError", errorCode: 0 });
    const dump = JSON.stringify({ error, message: (error as Error).message, stack: (error as Error).stack, fields: describeError(error) });
    expect(dump).not.toContain("very-secret");
    expect((error as ZaloApiError).cause).toBeUndefined();

    const echoing = createZaloClient({
      token: TOKEN,
      transport: fakeTransport({ status: 401, data: { ok: false, error_code: 401, description: `bad token ${TOKEN}` } }),
    });
    const e2 = await echoing.getMe().catch((e: unknown) => e);
    expect((e2 as ZaloApiError).description).toBe("bad token <token>");
  });
});

describe("Zalo client against the fake API", () => {
  it("covers every method used: getMe, webhook set/info/delete, sendChatAction, sendMessage limits", async () => {
    const fake = await startFakeZaloServer({ token: TOKEN });
    try {
      const client = createZaloClient({ token: TOKEN, apiBase: fake.apiBase });
      expect((await client.getMe()).id).toBe("bot-1");
      expect(await client.setWebhook("https://bot.example.invalid/webhooks/zalo", "secret-123")).toMatchObject({
        url: "https://bot.example.invalid/webhooks/zalo",
      });
      expect((await client.getWebhookInfo()).url).toBe("https://bot.example.invalid/webhooks/zalo");
      // getUpdates does not work while a webhook is set.
      await expect(client.getUpdates({ timeoutSeconds: 1 })).rejects.toMatchObject({ errorCode: 409 });
      await client.deleteWebhook();
      expect((await client.getWebhookInfo()).url).toBe("");
      await client.sendChatAction("c1", "typing");
      await expect(client.sendMessage("c1", "x".repeat(2001))).rejects.toMatchObject({ errorCode: 400 });
      await expect(createZaloClient({ token: "1:wrong", apiBase: fake.apiBase }).getMe()).rejects.toMatchObject({ errorCode: 401 });
    } finally {
      await fake.close();
    }
  });
});

describe("parseWebhookUpdate", () => {
  const update = {
    event_name: "message.text.received",
    message: { message_id: "m", date: 1, text: "hi", chat: { id: "c1", chat_type: "PRIVATE" }, from: { id: "c1", first_name: "A" } },
  };
  it("accepts a bare update and one wrapped in { ok, result }", () => {
    expect(parseWebhookUpdate(update)?.message.text).toBe("hi");
    expect(parseWebhookUpdate({ ok: true, result: update })?.message.chat.id).toBe("c1");
  });
  it("normalises numeric ids to strings and rejects junk", () => {
    expect(parseWebhookUpdate({ ...update, message: { ...update.message, chat: { id: 12 } } })?.message.chat.id).toBe("12");
    expect(parseWebhookUpdate({ $gt: "" })).toBeUndefined();
    expect(parseWebhookUpdate(null)).toBeUndefined();
    expect(parseWebhookUpdate("text")).toBeUndefined();
  });
});
