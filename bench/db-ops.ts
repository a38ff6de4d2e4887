/**
 * Micro-benchmark of single-document operations by `_id` against the local database server,
 * at growing collection sizes (shows whether `_id` lookups use an index):
 *   tsx bench/db-ops.ts            (FERRETDB_BIN=… to try another FerretDB binary)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { MongoClient } from "mongodb";
import { startLocalServer } from "../src/db/local-server.js";

const dataDir = mkdtempSync(join(tmpdir(), "nscl-dbops-"));
const server = await startLocalServer({ dataDir });
const client = await MongoClient.connect(server.uri);
try {
  const c = client.db("dbops").collection<{ _id: string; v: number }>("c");
  for (const size of [1_000, 10_000]) {
    await c.deleteMany({});
    for (let i = 0; i < size; i += 1000) await c.insertMany(Array.from({ length: 1000 }, (_, j) => ({ _id: `k${i + j}`, v: i })));
    const pick = () => `k${Math.floor(Math.random() * size)}`;
    const time = async (label: string, f: () => Promise<unknown>) => {
      const t = performance.now();
      for (let i = 0; i < 20; i += 1) await f();
      console.log(`${server.kind} ${String(size).padStart(6)} docs  ${label.padEnd(28)} ${((performance.now() - t) / 20).toFixed(2)} ms`);
    };
    await time("findOne({_id})", () => c.findOne({ _id: pick() }));
    await time("updateOne({_id}, $set)", () => c.updateOne({ _id: pick() }, { $set: { v: 1 } }));
    await time("updateOne({_id}) upsert", () => c.updateOne({ _id: pick() }, { $set: { v: 2 } }, { upsert: true }));
    await time("deleteOne({_id})", () => c.deleteOne({ _id: pick() }));
    await time("insertOne", () => c.insertOne({ _id: `n${Math.random()}`, v: 0 }));
  }
} finally {
  await client.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
