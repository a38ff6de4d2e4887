/** The web chat's history on the real database: order, the cap (oldest dropped), erase, idle pruning. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.js";
import { createWebHistory, WEB_HISTORY_COLLECTION } from "../../../src/channels/web/web-history.js";
import { openTestDatabase } from "../../helpers/db.js";

describe("web history", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("web_history");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("keeps the last messages in order, drops the oldest past the cap, erases and prunes", async () => {
    const history = createWebHistory(db, { keep: 5 });
    const t0 = new Date("2026-12-01T00:00:00Z");
    for (let i = 0; i < 4; i++) await history.append("web:a", [{ from: "user", text: `u${i}`, at: i }, { from: "bot", text: `b${i}`, at: i }], t0);
    const recent = await history.recent("web:a");
    expect(recent.map((e) => e.text)).toEqual(["b1", "u2", "b2", "u3", "b3"]);
    const doc = await db.connection.collection(WEB_HISTORY_COLLECTION).findOne({ _id: "web:a" as never });
    expect(Object.keys((doc as unknown as { m: object }).m)).toHaveLength(5);
    await history.append("web:b", [{ from: "bot", text: "hi", at: 0 }], new Date("2026-12-30T00:00:00Z"));
    expect(await history.pruneIdle(new Date("2026-12-15T00:00:00Z"))).toBe(1);
    expect(await history.recent("web:a")).toEqual([]);
    await history.erase("web:b");
    expect(await history.recent("web:b")).toEqual([]);
  });
});
