/**
 * The id reader: look-ups made together go to the server together, each caller gets its own
 * document (or null), a read sees the writes finished before it, a server gone rejects every
 * waiting look-up, and on FerretDB the batched `$in` uses the _id index (the build's patch).
 */
import type { CommandStartedEvent } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createIdReader } from "../../src/db/id-reader.js";
import { startCuttableProxy, type CuttableProxy } from "../helpers/cuttable-proxy.js";
import { testDatabaseUri } from "../helpers/db.js";

interface Doc {
  _id: string;
  n: number;
  secret?: string;
}

let proxy: CuttableProxy;
let db: Database;
const finds: string[] = [];

const docs = () => {
  const native = db.connection.db;
  if (!native) throw new Error("not connected");
  return native.collection<Doc>("read_by_id");
};

beforeAll(async () => {
  proxy = await startCuttableProxy(testDatabaseUri("id_reader"));
  db = await openDatabase(proxy.uri, { serverSelectionTimeoutMS: 2_000, operationTimeoutMS: 10_000, monitorCommands: true });
  await db.connection.dropDatabase();
  db.connection.getClient().on("commandStarted", (event: CommandStartedEvent) => {
    if (event.commandName === "find" && event.command.find === "read_by_id") finds.push(JSON.stringify(event.command.filter));
  });
  await docs().insertMany(Array.from({ length: 30 }, (_, n) => ({ _id: `d${n}`, n, secret: "not asked for" })));
});

afterAll(async () => {
  await db?.close().catch(() => undefined);
  proxy?.close();
});

describe("id reader", () => {
  it("answers each look-up with its own document, in a few commands", async () => {
    const reader = createIdReader(docs(), { projection: { n: 1 } });
    finds.length = 0;
    const wanted = ["d3", "missing", "d17", "d3", ...Array.from({ length: 20 }, (_, i) => `d${i + 5}`)];
    const found = await Promise.all(wanted.map((id) => reader.findById(id)));
    expect(found.map((d) => d?.n ?? null)).toEqual([3, null, 17, 3, ...Array.from({ length: 20 }, (_, i) => i + 5)]);
    // The projection holds: what was not asked for is not read.
    expect(found.some((d) => d !== null && "secret" in d)).toBe(false);
    // The first goes alone (nothing to wait for); the 23 asked while it was away go in one more.
    expect(finds).toHaveLength(2);
    expect(JSON.parse(finds[0]!)).toEqual({ _id: "d3" });
    expect(JSON.parse(finds[1]!)._id.$in).toHaveLength(22);
  });

  it("sees a write that finished before the look-up was asked for", async () => {
    const reader = createIdReader(docs(), { projection: { n: 1 } });
    // Answered before the write: nothing to find (and nothing the reader may keep).
    expect(await reader.findById("late")).toBeNull();
    await docs().insertOne({ _id: "late", n: 99 });
    expect((await reader.findById("late"))?.n).toBe(99);
  });

  it("uses the _id index for a batch on FerretDB", async (context) => {
    const info = await db.connection.db!.admin().command({ buildInfo: 1 });
    if (typeof info.ferretdbVersion !== "string") context.skip(); // MongoDB: the index is used natively
    const plan = await docs().find({ _id: { $in: ["d1", "d2"] } }).explain();
    // SQLite's plan: "SEARCH <table> USING INDEX <table>__id_" with the patch, "SCAN <table>" without.
    expect(JSON.stringify(plan.queryPlanner)).toMatch(/SEARCH .* USING INDEX/);
  });

  it("rejects every waiting look-up when the server cannot be reached", async () => {
    const reader = createIdReader(docs());
    await proxy.cut();
    const outcomes = await Promise.allSettled(["d1", "d2", "d3"].map((id) => reader.findById(id)));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
  });
});
