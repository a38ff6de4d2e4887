import { describe, expect, it } from "vitest";
import { createUpdateAdmission } from "../../../src/channels/shared/update-admission.js";
import { createZaloChannel } from "../../../src/channels/zalo/zalo-channel.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { startFakeZaloServer } from "../../fakes/zalo-server.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

/** An in-memory stand-in for the database inbox shared by several processes. */
function sharedClaims() {
  const taken = new Set<string>();
  const done = new Set<string>();
  let failing = false;
  const claim = async (key: string) => {
    if (failing) throw new Error("database unavailable");
    if (taken.has(key)) return false;
    taken.add(key);
    return true;
  };
  return {
    taken,
    done,
    fail: (on: boolean) => void (failing = on),
    claim,
    inbox: { accept: claim, done: async (key: string) => void done.add(key) },
  };
}

describe("update admission", () => {
  it("drops in-memory duplicates, then asks the shared claim", async () => {
    const shared = sharedClaims();
    const metrics = createMetrics();
    const a = createUpdateAdmission({ channel: "telegram", metrics, logger: captureLogger(), inbox: shared.inbox });
    const b = createUpdateAdmission({ channel: "telegram", metrics, logger: captureLogger(), inbox: shared.inbox });
    expect(await a.admit("7", {})).toBe("new");
    expect(await a.admit("7", {})).toBe("duplicate"); // same process
    expect(await b.admit("7", {})).toBe("duplicate"); // another process
    expect([...shared.taken]).toEqual(["telegram:7"]);
    const text = await metrics.render();
    expect(text).toMatch(/bot_updates_received_total\{channel="telegram"\} 3/);
    expect(text).toMatch(/bot_updates_duplicate_total\{channel="telegram"\} 2/);
  });

  it("answers busy when the claim cannot be made, and accepts the re-delivery later", async () => {
    const shared = sharedClaims();
    const logger = captureLogger();
    const a = createUpdateAdmission({ channel: "zalo", metrics: createMetrics(), logger, inbox: shared.inbox });
    shared.fail(true);
    expect(await a.admit("m1", {})).toBe("busy");
    expect(logger.lines.map((l) => l.message)).toEqual(["update could not be stored; asking for re-delivery"]);
    shared.fail(false);
    expect(await a.admit("m1", {})).toBe("new");
  });

  it("lets two Zalo processes behind one webhook handle a re-delivered message once", async () => {
    const token = "31337:zalo-two-processes";
    const fake = await startFakeZaloServer({ token });
    const shared = sharedClaims();
    const bot = new FakeBot();
    const make = () =>
      createZaloChannel({
        token,
        apiBase: fake.apiBase,
        webhook: { url: "https://bot.example.invalid/webhooks/zalo", secret: "two-processes-secret" },
        bot,
        metrics: createMetrics(),
        logger: captureLogger(),
        inbox: shared.inbox,
      });
    const one = make();
    const two = make();
    try {
      await one.start();
      await two.start();
      const update = fake.textUpdate("z-9", "once please", "shared-1");
      expect(await one.webhook?.receive(update)).toBe("accepted");
      expect(await two.webhook?.receive(update)).toBe("duplicate");
      await fake.waitForSent(1);
      expect(bot.received.map((i) => i.text)).toEqual(["once please"]);
      await expect.poll(() => [...shared.done]).toEqual(["zalo:shared-1"]);
    } finally {
      await one.stop();
      await two.stop();
      await fake.close();
    }
  });
});
