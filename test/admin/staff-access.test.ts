import { describe, expect, it } from "vitest";
import { createStaffAccess } from "../../src/admin/staff-access.js";
import { systemClock } from "../../src/shared/clock.js";
import type { StaffRepo } from "../../src/db/staff-repo.js";

/** A repo whose `keys()` answers only when released, counting reads (the logic under test is the cache, not the database). */
function gatedRepo(stored: string[]) {
  let reads = 0;
  let fail = false;
  const waiting: (() => void)[] = [];
  const repo = {
    keys: () => {
      reads += 1;
      const failing = fail;
      return new Promise<string[]>((resolve, reject) => waiting.push(() => (failing ? reject(new Error("db down")) : resolve([...stored]))));
    },
    add: async () => true,
    remove: async () => true,
  } as unknown as StaffRepo;
  return {
    repo,
    reads: () => reads,
    failNext: (f: boolean) => { fail = f; },
    release: () => { for (const w of waiting.splice(0)) w(); },
  };
}

const alice = { channel: "telegram" as const, userId: "1" };
const bob = { channel: "zalo" as const, userId: "2" };

describe("createStaffAccess", () => {
  it("concurrent updates share one read of the stored staff, also after the cache expires", async () => {
    const g = gatedRepo(["telegram:1"]);
    let now = 0;
    const access = createStaffAccess({ configured: [], repo: g.repo, clock: { now: () => now, sleep: systemClock.sleep }, cacheMs: 5_000 });
    const first = [access.isStaff(alice), access.isStaff(bob), access.isStaff(alice)];
    g.release();
    expect(await Promise.all(first)).toEqual([true, false, true]);
    expect(g.reads()).toBe(1);
    now = 6_000;
    const second = Array.from({ length: 20 }, () => access.isStaff(alice));
    g.release();
    expect((await Promise.all(second)).every(Boolean)).toBe(true);
    expect(g.reads()).toBe(2);
  });

  it("a failed read is not cached: the next update reads again", async () => {
    const g = gatedRepo(["telegram:1"]);
    const access = createStaffAccess({ configured: ["zalo:2"], repo: g.repo, clock: { now: () => 0, sleep: systemClock.sleep } });
    g.failNext(true);
    const failed = access.isStaff(alice);
    g.release();
    await expect(failed).rejects.toThrow("db down");
    // Configured staff do not need the stored list.
    expect(await access.isStaff(bob)).toBe(true);
    g.failNext(false);
    const retried = access.isStaff(alice);
    g.release();
    expect(await retried).toBe(true);
    expect(g.reads()).toBe(2);
  });

  it("adding or removing staff drops the cache at once", async () => {
    const g = gatedRepo([]);
    const access = createStaffAccess({ configured: [], repo: g.repo, clock: { now: () => 0, sleep: systemClock.sleep } });
    const before = access.isStaff(alice);
    g.release();
    expect(await before).toBe(false);
    expect(await access.add("telegram:1", "zalo:9")).toBe("added");
    const after = access.isStaff(alice);
    g.release();
    await after;
    expect(g.reads()).toBe(2);
  });
});
