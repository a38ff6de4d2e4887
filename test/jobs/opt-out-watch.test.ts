/** A broadcast's view of announcement stops: one read for many sends, fresh again after `freshMs`. */
import { describe, expect, it } from "vitest";
import { createOptOutWatch } from "../../src/jobs/opt-out-watch.js";
import type { Clock } from "../../src/shared/clock.js";

function setup() {
  let t = 1_000_000;
  const clock: Clock = { now: () => t, sleep: async () => undefined };
  const stops: string[] = [];
  const reads: Date[] = [];
  const since = new Date(t - 60_000);
  const watch = createOptOutWatch(async (from) => (reads.push(from), [...stops]), clock, since, 250);
  return { watch, stops, reads, since, advance: (ms: number) => (t += ms) };
}

describe("opt-out watch", () => {
  it("answers a burst of sends with one read of the stops since the audience was resolved", async () => {
    const { watch, stops, reads, since } = setup();
    stops.push("telegram:2");
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => watch.mayReceive(`telegram:${i % 4}`)));
    expect(reads).toEqual([since]);
    expect(answers.filter((a) => !a)).toHaveLength(25);
  });

  it("a stop is honoured by the first send that starts once the view is older than freshMs", async () => {
    const { watch, stops, reads, advance } = setup();
    expect(await watch.mayReceive("zalo:9")).toBe(true);
    stops.push("zalo:9");
    advance(249);
    expect(await watch.mayReceive("zalo:9")).toBe(true);
    advance(1);
    expect(await watch.mayReceive("zalo:9")).toBe(false);
    expect(reads).toHaveLength(2);
  });

  it("a failed read fails the send's check (the run stops rather than send blind) and is tried again next time", async () => {
    let fail = true;
    const clock: Clock = { now: () => 0, sleep: async () => undefined };
    const watch = createOptOutWatch(async () => {
      if (fail) throw new Error("database stalled");
      return [];
    }, clock, new Date(0));
    await expect(watch.mayReceive("telegram:1")).rejects.toThrow("database stalled");
    fail = false;
    expect(await watch.mayReceive("telegram:1")).toBe(true);
  });
});
