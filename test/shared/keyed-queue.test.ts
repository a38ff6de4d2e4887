import { describe, expect, it } from "vitest";
import { drainQueue, KeyedQueue } from "../../src/shared/keyed-queue.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("KeyedQueue", () => {
  it("runs one key's tasks in order and other keys alongside", async () => {
    const log: string[] = [];
    const q = new KeyedQueue({ concurrency: 4, maxPending: 100, onError: () => {} });
    const hold = gate();
    q.push("a", async () => {
      await hold.promise;
      log.push("a1");
    });
    q.push("a", async () => void log.push("a2"));
    q.push("b", async () => void log.push("b1"));
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(["b1"]);
    hold.open();
    await q.idle();
    expect(log).toEqual(["b1", "a1", "a2"]);
  });

  it("caps concurrency across keys", async () => {
    const q = new KeyedQueue({ concurrency: 2, maxPending: 100, onError: () => {} });
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, gate);
    gates.forEach((g, i) =>
      q.push(`k${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await g.promise;
        running--;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    for (const g of gates) g.open();
    await q.idle();
    expect(peak).toBe(2);
  });

  it("refuses work beyond maxPending and reports room again", async () => {
    const q = new KeyedQueue({ concurrency: 1, maxPending: 2, onError: () => {} });
    const hold = gate();
    expect(q.push("a", () => hold.promise)).toBe(true);
    expect(q.push("b", async () => {})).toBe(true);
    expect(q.full).toBe(true);
    expect(q.push("c", async () => {})).toBe(false);
    expect(q.push("c", async () => {}, true)).toBe(true); // a poller's batch is never dropped
    const room = q.hasSpace();
    hold.open();
    await q.idle();
    await room;
    expect(q.full).toBe(false);
    await q.idle();
  });

  it("stops waiting for room when the waiter aborts", async () => {
    const q = new KeyedQueue({ concurrency: 1, maxPending: 1, onError: () => {} });
    const hold = gate();
    q.push("a", () => hold.promise);
    const stop = new AbortController();
    const waiting = q.hasSpace(stop.signal);
    stop.abort();
    await waiting;
    expect(q.full).toBe(true);
    hold.open();
    await q.idle();
  });

  it("reports a throwing task and keeps going", async () => {
    const errors: string[] = [];
    const q = new KeyedQueue({ concurrency: 1, maxPending: 10, onError: (_e, key) => errors.push(key) });
    let after = false;
    q.push("x", async () => {
      throw new Error("bad");
    });
    q.push("x", async () => void (after = true));
    await q.idle();
    expect(errors).toEqual(["x"]);
    expect(after).toBe(true);
  });

  it("drainQueue gives up after its bound", async () => {
    const q = new KeyedQueue({ concurrency: 1, maxPending: 10, onError: () => {} });
    const hold = gate();
    q.push("a", () => hold.promise);
    expect(await drainQueue(q, 10)).toBe(false);
    hold.open();
    expect(await drainQueue(q, 1_000)).toBe(true);
  });
});
