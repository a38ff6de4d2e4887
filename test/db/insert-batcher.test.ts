/**
 * The insert batcher reports each document's fate: inserted, duplicate, or the error — and when
 * the server goes away (the driver then throws a bulk error with no write errors), no document is
 * reported inserted.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createInsertBatcher } from "../../src/db/insert-batcher.js";
import { testDatabaseUri } from "../helpers/db.js";

let forwarder: Server;
const sockets = new Set<Socket>();
let db: Database;

beforeAll(async () => {
  const uri = new URL(testDatabaseUri("insert_batcher"));
  const upstreamPort = Number(uri.port);
  // A loopback forwarder to the test server that the test can cut, as if the server went away.
  forwarder = createServer((client) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy()).on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((done) => forwarder.listen(0, "127.0.0.1", done));
  const address = forwarder.address();
  if (!address || typeof address === "string") throw new Error("no port");
  uri.port = String(address.port);
  db = await openDatabase(uri.toString(), { serverSelectionTimeoutMS: 2_000, operationTimeoutMS: 5_000 });
  await db.connection.dropDatabase();
});

afterAll(async () => {
  await db?.close().catch(() => undefined);
  for (const s of sockets) s.destroy();
  if (forwarder?.listening) forwarder.close();
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
    const closed = new Promise<void>((done) => forwarder.close(() => done()));
    for (const s of sockets) s.destroy();
    await closed;
    const outcomes = await Promise.allSettled(["x", "y"].map((id) => batcher.insert({ _id: id })));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
  });
});
