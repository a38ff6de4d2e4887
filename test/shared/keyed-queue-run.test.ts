import { describe, expect, it } from "vitest";
import { createKeyedQueue } from "../../src/shared/keyed-queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createKeyedQueue", () => {
  it("runs one key's tasks in order and other keys concurrently", async () => {
    const q = createKeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const a1 = q.run("a", async () => { await gate.promise; order.push("a1"); });
    const a2 = q.run("a", async () => { order.push("a2"); });
    const b1 = q.run("b", async () => { order.push("b1"); });
    await b1;
    expect(order).toEqual(["b1"]);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(order).toEqual(["b1", "a1", "a2"]);
    await new Promise((r) => setImmediate(r));
    expect(q.size).toBe(0);
  });

  it("keeps going after a failing task and reports its error to its caller", async () => {
    const q = createKeyedQueue();
    const failed = q.run("a", async () => { throw new Error("boom"); });
    const next = q.run("a", async () => 42);
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe(42);
  });
});
