/**
 * The insert batcher reports each document's fate: inserted, duplicate, or the error — and when
 * the server goes away (the driver then throws a bulk error with no write errors), no document is
 * reported inserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createInsertBatcher } from "../../src/db/insert-batcher.js";
import { startCuttableProxy, type CuttableProxy } from "../helpers/cuttable-proxy.js";
import { testDatabaseUri } from "../helpers/db.js";

let proxy: CuttableProxy;
let db: Database;

beforeAll(async () => {
  proxy = await startCuttableProxy(testDatabaseUri("insert_batcher"));
  db = await openDatabase(proxy.uri, { serverSelectionTimeoutMS: 2_000, operationTimeoutMS: 5_000 });
  await db.connection.dropDatabase();
});

afterAll(async () => {
  await db?.close().catch(() => undefined);
  proxy?.close();
});

describe("insert batcher", () => {
  it("tells inserted from duplicate within one batch", async () => {
    const native = db.connection.db;
    if (!native) throw new Error("not connected");
    const batcher = createInsertBatcher(native.collection<{ _id: string }>("batched"));
    await batcher.insert({ _id: "a" });
    const outcomes = await Promise.all(["a", "b", "c", "b"].map((id) => batcher.insert({ _id: id })));
    expect(outcomes).toEqual(["duplicate", "inserted", "inserted", "duplicate"]);
  });

  it("reports no document inserted when the server cannot be reached", async () => {
    const native = db.connection.db;
    if (!native) throw new Error("not connected");
    const batcher = createInsertBatcher(native.collection<{ _id: string }>("batched"));
    // The server goes away: no new connections, the open ones cut.
    await proxy.cut();
    const outcomes = await Promise.allSettled(["x", "y"].map((id) => batcher.insert({ _id: id })));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
  });
});
