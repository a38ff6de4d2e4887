import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { DatabaseUnavailableError, isDuplicateKey } from "../../src/db/errors.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

describe("database", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it("reads back after reconnecting what was written through mongoose", async () => {
    const db = await openTestDatabase("db_reconnect");
    await db.models.contact.create({ _id: "terminal:42", channel: "terminal", userId: "42", locale: "en" });
    await db.close();

    const again = await openDatabase(testDatabaseUri("db_reconnect"));
    opened.push(again);
    const found = await again.models.contact.findById("terminal:42").lean();
    expect(found?.locale).toBe("en");
    expect(found?.subscribed).toBe(true);
  });

  it("rejects a second document with the same _id as a duplicate key (the claim primitive)", async () => {
    const db = await openTestDatabase("db_claim");
    opened.push(db);
    await db.models.contact.create({ _id: "zalo:a", channel: "zalo", userId: "a" });
    const second = await db.models.contact.create({ _id: "zalo:a", channel: "zalo", userId: "a" }).catch((e: unknown) => e);
    expect(isDuplicateKey(second)).toBe(true);
  });

  it("names an unreachable server without credentials", async () => {
    const error = await openDatabase("mongodb://alice:secret@127.0.0.1:1/x", { serverSelectionTimeoutMS: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(String((error as Error).message)).toContain("127.0.0.1:1");
    expect(String((error as Error).message)).not.toContain("secret");
  });
});
