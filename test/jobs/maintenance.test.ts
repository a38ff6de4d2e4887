import { afterAll, describe, expect, it } from "vitest";
import { createClaimsRepo } from "../../src/db/claims-repo.js";
import { startMaintenance } from "../../src/jobs/maintenance.js";
import { openTestDatabase } from "../helpers/db.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("maintenance", () => {
  it("prunes only old webhook claims and repairs registrations once per pass", async () => {
    const db = await openTestDatabase("maintenance_prune");
    afterAll(() => db.close());
    const claims = createClaimsRepo(db);
    const now = new Date("2026-11-25T12:00:00Z");
    const old = new Date(now.getTime() - 2 * 86_400_000);
    expect(await claims.claimOnce("update:telegram:1", old)).toBe(true);
    expect(await claims.claimOnce("update:telegram:2", now)).toBe(true);
    expect(await claims.claimOnce("report:broadcast:1", old)).toBe(true);

    const repairs: Date[] = [];
    const maintenance = startMaintenance({
      repairRegistrations: async (olderThan) => (repairs.push(olderThan), { repaired: 0, promoted: [] }),
      pruneClaims: (prefix, before) => claims.prune(prefix, before),
      pruneSessions: async () => ({ folded: 0, deleted: 0 }),
      now: () => now,
      logger: quiet,
      everyMs: 3_600_000,
    });
    await maintenance.stop();

    const left = (await db.models.claim.find().lean()).map((c) => c._id).sort();
    expect(left).toEqual(["report:broadcast:1", "update:telegram:2"]);
    expect(repairs).toEqual([new Date(now.getTime() - 10 * 60_000)]);
    // A pruned update can be claimed again; a kept one cannot.
    expect(await claims.claimOnce("update:telegram:1", now)).toBe(true);
    expect(await claims.claimOnce("update:telegram:2", now)).toBe(false);
  });

  it("logs a failed pass and keeps going", async () => {
    const warnings: string[] = [];
    const maintenance = startMaintenance({
      repairRegistrations: async () => {
        throw Object.assign(new Error("down"), { name: "MongoNetworkError" });
      },
      pruneClaims: async () => 0,
      pruneSessions: async () => ({ folded: 0, deleted: 0 }),
      now: () => new Date(),
      logger: { ...quiet, warn: (_o: object, msg: string) => void warnings.push(msg) },
    });
    await maintenance.stop();
    expect(warnings).toEqual(["maintenance pass failed; will retry"]);
  });
});
