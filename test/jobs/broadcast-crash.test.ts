import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const NAME = "jobs_broadcast_crash";
const CONCURRENCY = 16;

function startChild(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; out: () => string } {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "broadcast-child.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => out };
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

describe("broadcast delivery killed mid-way", () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase(NAME);
    dir = mkdtempSync(join(tmpdir(), "h5-crash-"));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes after SIGKILL: nobody twice, everyone delivered or in doubt, in doubt <= concurrency", async () => {
    const N = 1500;
    await db.models.contact.insertMany(Array.from({ length: N }, (_, i) => ({ _id: `telegram:c${i}`, channel: "telegram", userId: `c${i}`, lastSeenAt: new Date() })));
    const b = await createBroadcastsRepo(db).create({ id: "crash1", text: { vi: "Xin chào" }, audience: { kind: "all" }, sendAt: new Date(), createdBy: "cli", createdAt: new Date() });
    const record = join(dir, "received.txt");
    const env = { MONGO_URI: testDatabaseUri(NAME), BROADCAST_ID: b._id, RECORD_FILE: record, CONCURRENCY: String(CONCURRENCY) };

    const first = startChild(env);
    // Bounded wait until the platform has received a good part of the broadcast, then kill -9.
    for (let i = 0; i < 600 && lines(record).length < 300; i++) await new Promise((r) => setTimeout(r, 50));
    expect(lines(record).length, first.out()).toBeGreaterThanOrEqual(300);
    first.child.kill("SIGKILL");
    await first.exited;
    const afterKill = lines(record).length;
    expect(afterKill).toBeLessThan(N);

    const second = startChild(env);
    expect(await second.exited, second.out()).toBe(0);

    const received = lines(record);
    expect(new Set(received).size).toBe(received.length); // nobody twice
    const states = await createDeliveriesRepo(db).states(b._id);
    expect(states.size).toBe(N);
    const inDoubt = [...states].filter(([, s]) => s === "in_doubt").map(([c]) => c);
    const sent = [...states].filter(([, s]) => s === "sent").map(([c]) => c);
    expect(sent.length + inDoubt.length).toBe(N); // everyone delivered or in doubt
    expect(inDoubt.length).toBeLessThanOrEqual(CONCURRENCY);
    // Every recorded "sent" really reached the platform, exactly once.
    const got = new Set(received.map((u) => `telegram:${u}`));
    for (const c of sent) expect(got.has(c), c).toBe(true);
    const done = await createBroadcastsRepo(db).get(b._id);
    expect(done?.status).toBe("done");
    expect(done?.counts).toMatchObject({ delivered: sent.length, inDoubt: inDoubt.length });
  }, 120_000);

  it("after SIGKILL, in doubt are only sends that had started; a restarted process resumes within 10 s", async () => {
    const N = 400;
    await db.models.contact.insertMany(Array.from({ length: N }, (_, i) => ({ _id: `telegram:k${i}`, channel: "telegram", userId: `k${i}`, lastSeenAt: new Date() })));
    const keys = Array.from({ length: N }, (_, i) => `telegram:k${i}`);
    const b = await createBroadcastsRepo(db).create({ id: "crash2", text: { vi: "Xin chào" }, audience: { kind: "contacts", contacts: keys }, sendAt: new Date(), createdBy: "cli", createdAt: new Date() });
    const record = join(dir, "received2.txt");
    // Slow platform, low rate, many places: most recipients of a run wait for a rate slot.
    const env = { MONGO_URI: testDatabaseUri(NAME), BROADCAST_ID: b._id, RECORD_FILE: record, CONCURRENCY: "128", RATE: "20", LATENCY_MS: "150" };

    const first = startChild(env);
    for (let i = 0; i < 600 && lines(record).length < 40; i++) await new Promise((r) => setTimeout(r, 50));
    expect(lines(record).length, first.out()).toBeGreaterThanOrEqual(40);
    first.child.kill("SIGKILL");
    await first.exited;
    const received = new Set(lines(record).map((u) => `telegram:${u}`));
    const states = await createDeliveriesRepo(db).states(b._id);
    const inDoubt = [...states].filter(([, s]) => s === "in_doubt").map(([c]) => c);
    console.log(`[kill] received ${received.size}, in doubt ${inDoubt.length} (concurrency 128, rate 20/s)`);
    // In doubt == sends in flight: every one of them had reached the platform; none was only waiting.
    for (const c of inDoubt) expect(received.has(c), c).toBe(true);
    expect(inDoubt.length).toBeLessThanOrEqual(10);

    const second = startChild({ ...env, MODE: "resume" });
    for (let i = 0; i < 1200 && !second.out().includes("ready"); i++) await new Promise((r) => setTimeout(r, 25));
    const up = Date.now();
    const before = lines(record).length;
    for (let i = 0; i < 600 && lines(record).length === before; i++) await new Promise((r) => setTimeout(r, 50));
    const resumedAfter = (Date.now() - up) / 1000;
    console.log(`[resume] first send ${resumedAfter.toFixed(1)} s after the restarted process was up`);
    expect(resumedAfter).toBeLessThan(10);
    const exit = await Promise.race([second.exited, new Promise((r) => setTimeout(() => r("timeout"), 60_000))]);
    if (exit === "timeout") second.child.kill("SIGKILL");
    console.log(`[resume] received now ${lines(record).length}; child: ${second.out().slice(-800)}`);
    expect(exit, second.out()).toBe(0);
    const all = lines(record);
    expect(new Set(all).size).toBe(all.length); // nobody twice
    const done = await createBroadcastsRepo(db).get(b._id);
    expect(done?.status).toBe("done");
    expect(done?.counts).toMatchObject({ inDoubt: inDoubt.length, delivered: N - inDoubt.length });
  }, 120_000);
});
