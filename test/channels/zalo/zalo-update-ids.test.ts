/**
 * Zalo updates without `message_id`: their de-duplication id is derived from chat, date and
 * text, so it is the same in every process and after a restart (a re-delivery is dropped, a new
 * message never is). Through the real inbox on the real database, two channel instances in turn
 * (a process, then its restart).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZaloChannel, zaloUpdateId } from "../../../src/channels/zalo/zalo-channel.js";
import type { UpdateInbox } from "../../../src/channels/shared/update-admission.js";
import { createInboxRepo } from "../../../src/db/inbox-repo.js";
import type { Database } from "../../../src/db/database.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { openTestDatabase } from "../../helpers/db.js";
import { startFakeZaloServer, type FakeZaloServer } from "../../fakes/zalo-server.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

const TOKEN = "5550002:zalo-ids-token";
let db: Database;
let fake: FakeZaloServer;

beforeAll(async () => {
  db = await openTestDatabase("zalo_update_ids");
  fake = await startFakeZaloServer({ token: TOKEN });
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

/** A message without `message_id`, as some Zalo events arrive. */
const anonymous = (chat: string, text: string, date: number) => ({ event_name: "message.text.received", message: { date, text, chat: { id: chat, chat_type: "PRIVATE" }, from: { id: chat } } });

function process_(bot: FakeBot) {
  const repo = createInboxRepo(db);
  const inbox: UpdateInbox = {
    accept: async (key, update) => (await repo.accept(key, "zalo", update, new Date())) === "new",
    done: (key) => repo.done(key, new Date()),
  };
  return createZaloChannel({
    token: TOKEN,
    apiBase: fake.apiBase,
    webhook: { url: "https://bot.example.invalid/webhooks/zalo", secret: "zalo-ids-secret" },
    bot,
    metrics: createMetrics(),
    logger: captureLogger(),
    inbox,
  });
}

describe("Zalo updates without message_id", () => {
  it("after a restart, new users' messages are all handled and a re-delivery is still dropped", async () => {
    const date = Date.now();
    const firstBot = new FakeBot();
    const first = process_(firstBot);
    await first.start();
    for (let i = 1; i <= 3; i++) expect(await first.webhook?.receive(anonymous(`old-${i}`, "xin chao", date))).toBe("accepted");
    await first.stop();
    expect(firstBot.received).toHaveLength(3);

    const secondBot = new FakeBot();
    const second = process_(secondBot);
    await second.start();
    try {
      const verdicts = [];
      for (let i = 1; i <= 4; i++) verdicts.push(await second.webhook?.receive(anonymous(`new-${i}`, "xin chao", date + i)));
      expect(verdicts).toEqual(["accepted", "accepted", "accepted", "accepted"]);
      // The platform re-delivers a message the first process had: recognised across the restart.
      expect(await second.webhook?.receive(anonymous("old-2", "xin chao", date))).toBe("duplicate");
      await second.stop();
      expect(secondBot.received.map((i) => i.user.userId)).toEqual(["new-1", "new-2", "new-3", "new-4"]);
    } finally {
      await second.stop();
    }
  });

  it("derives the id from chat, date and text; without a date it never de-duplicates", () => {
    const a = zaloUpdateId(anonymous("c", "1", 5) as never);
    expect(zaloUpdateId(anonymous("c", "1", 5) as never)).toBe(a);
    expect(zaloUpdateId(anonymous("c", "2", 5) as never)).not.toBe(a);
    expect(zaloUpdateId(anonymous("d", "1", 5) as never)).not.toBe(a);
    expect(zaloUpdateId(anonymous("c", "1", 6) as never)).not.toBe(a);
    const undated = { event_name: "message.text.received", message: { text: "1", chat: { id: "c" } } };
    expect(zaloUpdateId(undated as never)).not.toBe(zaloUpdateId(undated as never));
  });
});
