import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/jobs/rate-limiter.js";
import { maxInWindow, VirtualClock } from "./virtual-clock.js";

/**
 * Whatever moment between grant and answer the platform saw each send, no window of 1 s held
 * more than `limit`: each send was granted while fewer than `limit` earlier ones were in flight
 * or had ended less than a window before.
 */
function expectNoWindowCanSeeMore(sends: ReadonlyArray<{ granted: number; done: number }>, limit: number): void {
  sends.forEach((s, j) => {
    const counted = sends.slice(0, j).filter((e) => e.done > s.granted - 1000).length;
    expect(counted, `send ${j}`).toBeLessThan(limit);
  });
}

describe("RateLimiter", () => {
  it("never lets more than the limit through in any one-second window", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 30, marginMs: 0, holdUntilReleased: false }, clock);
    const times: number[] = [];
    const work = Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        await limiter.acquire(`chat${i}`);
        times.push(clock.now());
      }),
    );
    await clock.run(work);
    expect(times).toHaveLength(300);
    expect(maxInWindow(times, 1000)).toBe(30);
    // Not needlessly slow: 300 at 30/s take about ten windows.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(9000);
    expect(Math.max(...times)).toBeLessThan(10_100);
  });

  it("keeps one second between two messages to the same chat without holding up other chats", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 100, perChatIntervalMs: 1000, marginMs: 0, burst: 100, holdUntilReleased: false }, clock);
    const log: Array<[string, number]> = [];
    const send = async (chat: string) => {
      await limiter.acquire(chat);
      log.push([chat, clock.now()]);
    };
    await clock.run(Promise.all([send("a"), send("a"), send("a"), send("b"), send("c")]));
    const a = log.filter(([c]) => c === "a").map(([, t]) => t);
    expect(a).toEqual([0, 1000, 2000]);
    expect(log.filter(([c]) => c !== "a").map(([, t]) => t)).toEqual([0, 0]);
  });

  it("keeps the chat gap even for two sends to one chat queued behind a backlog", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 2, perChatIntervalMs: 1000, marginMs: 0, holdUntilReleased: false }, clock);
    const log: Array<[string, number]> = [];
    const chats = ["x", "y", "z", "w", "a", "a"];
    await clock.run(Promise.all(chats.map(async (c) => (await limiter.acquire(c), log.push([c, clock.now()])))));
    const a = log.filter(([c]) => c === "a").map(([, t]) => t);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(1000);
    expect(maxInWindow(log.map(([, t]) => t), 1000)).toBe(2);
  });

  it("pauses everyone after a retry-after and resumes when it ends", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 10, marginMs: 0, holdUntilReleased: false }, clock);
    await clock.run(limiter.acquire("x"));
    limiter.pauseUntil(clock.now() + 5000);
    const times: number[] = [];
    await clock.run(Promise.all(["y", "z"].map(async (c) => (await limiter.acquire(c), times.push(clock.now())))));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(5000);
  });

  it("adds the safety margin to the window", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 2, marginMs: 50, burst: 2, holdUntilReleased: false }, clock);
    const times: number[] = [];
    await clock.run(Promise.all([1, 2, 3].map(async (i) => (await limiter.acquire(`c${i}`), times.push(clock.now())))));
    expect(times).toEqual([0, 0, 1050]);
  });

  it("paces sends evenly instead of in bursts", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 30, marginMs: 0, burst: 1, holdUntilReleased: false }, clock);
    const times: number[] = [];
    await clock.run(Promise.all(Array.from({ length: 60 }, async (_, i) => (await limiter.acquire(`c${i}`), times.push(clock.now())))));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(33);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
  });

  it("holds a slot until its send is released, so no platform window can see more than the limit", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 10, marginMs: 0 }, clock);
    const sends: Array<{ granted: number; done: number }> = [];
    let seed = 7;
    const latency = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 300);
    await clock.run(
      Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const release = await limiter.acquire(`c${i}`);
          const send = { granted: clock.now(), done: Number.NaN };
          sends.push(send);
          await clock.sleep(latency());
          release();
          send.done = clock.now();
        }),
      ),
    );
    expectNoWindowCanSeeMore(sends, 10);
    // Not needlessly slow: 60 sends at 10 per second with latencies under 300 ms.
    expect(Math.max(...sends.map((s) => s.done))).toBeLessThan(7000);
  });

  it("gives a refused (429) send's slot back, so refused attempts cost no delivered throughput", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 10, marginMs: 0, maxRefundShare: 1 }, clock);
    const accepted: Array<{ seq: number; granted: number; done: number }> = [];
    let attempts = 0;
    await clock.run(
      Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          // Every other chat's first attempt is refused; the refused one retries at once.
          for (let attempt = 0; ; attempt++) {
            const release = await limiter.acquire(`c${i}`);
            const seq = attempts++;
            const granted = clock.now();
            await clock.sleep(10);
            if (attempt === 0 && i % 2 === 0) {
              release("rejected");
              continue;
            }
            release();
            accepted.push({ seq, granted, done: clock.now() });
            return;
          }
        }),
      ),
    );
    expect(attempts).toBe(60);
    expect(accepted).toHaveLength(40);
    expectNoWindowCanSeeMore(accepted.sort((a, b) => a.seq - b.seq), 10);
    // 40 delivered at 10 per second: about four windows, as if nothing had been refused
    // (counting refusals, 60 attempts would need six).
    expect(Math.max(...accepted.map((s) => s.done))).toBeLessThan(4100);
  });

  it("stops refunding once a window is mostly refused (a platform counting refused calls), not for a few 429s", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 10, marginMs: 0 }, clock);
    const answer = async (i: number, refused: boolean) => {
      const release = await clock.run(limiter.acquire(`c${i}`));
      await clock.run(clock.sleep(20));
      release(refused ? "rejected" : "sent");
    };
    // One in twenty refused, over five windows: refunds stay.
    for (let i = 0; i < 50; i++) await answer(i, i % 20 === 7);
    expect(limiter.refunding).toBe(true);
    // Then everything refused for a window: the next window's first answer ends refunds.
    for (let i = 50; i < 62; i++) await answer(i, true);
    await clock.run(clock.sleep(1100));
    await answer(62, false);
    expect(limiter.refunding).toBe(false);
  });

  it("counts a refused send when refunds are off", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 1, marginMs: 0, refundRejected: false }, clock);
    const release = await clock.run(limiter.acquire("a"));
    release("rejected");
    await clock.run(limiter.acquire("b"));
    expect(clock.now()).toBe(1000);
  });

  it("refunds at most once, and a refund after a release changes nothing", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 1, marginMs: 0 }, clock);
    const first = await clock.run(limiter.acquire("a"));
    first();
    first("rejected");
    await clock.run(limiter.acquire("b"));
    expect(clock.now()).toBe(1000);
  });

  it("counts a slot never released as ending maxHoldMs after its grant", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ perWindow: 1, marginMs: 0, maxHoldMs: 5000 }, clock);
    await clock.run(limiter.acquire("a"));
    await clock.run(limiter.acquire("b"));
    expect(clock.now()).toBe(6000);
  });

  it("rejects a limit below one", () => {
    expect(() => new RateLimiter({ perWindow: 0, holdUntilReleased: false }, new VirtualClock())).toThrow(RangeError);
  });
});
