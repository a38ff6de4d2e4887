import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/jobs/rate-limiter.js";
import { maxInWindow, VirtualClock } from "./virtual-clock.js";

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
          const granted = clock.now();
          await clock.sleep(latency());
          release();
          sends.push({ granted, done: clock.now() });
        }),
      ),
    );
    sends.sort((a, b) => a.granted - b.granted);
    // Whenever the platform saw each request (between grant and answer), 11 in a row span a window.
    for (let i = 0; i + 10 < sends.length; i++) expect(sends[i + 10]!.granted - sends[i]!.done).toBeGreaterThanOrEqual(1000);
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
