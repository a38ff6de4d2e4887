import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { openTestDatabase } from "../helpers/db.js";

describe("MongoDB session store", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("session_store");
  });
  afterAll(() => db.close());

  it("returns null for someone the bot has never met", async () => {
    expect(await createMongoSessionStore(db).read("telegram:nobody")).toBeNull();
  });

  it("writes a contact with defaults on first contact and reads the session back as stored", async () => {
    const at = new Date("2026-11-25T10:00:00Z");
    const store = createMongoSessionStore(db, () => at);
    const session = { version: 1, locale: "en", flow: "main", step: "menu", data: { note: "Xin chào 👋" } };
    await store.write("zalo:e4ea2cd5", session);
    expect(await store.read("zalo:e4ea2cd5")).toEqual(session);
    const contact = await db.models.contact.findById("zalo:e4ea2cd5").lean();
    expect(contact).toMatchObject({ channel: "zalo", userId: "e4ea2cd5", locale: "en", subscribed: true, lastSeenAt: at, createdAt: at });
  });

  it("keeps subscription choices and clears an unreachable mark when the user writes again", async () => {
    const store = createMongoSessionStore(db);
    await store.write("telegram:42", { locale: "vi" });
    await db.models.contact.updateOne({ _id: "telegram:42" }, { $set: { subscribed: false, unreachableAt: new Date(), unreachableCode: "blocked" } });
    await store.write("telegram:42", { locale: "vi" });
    const contact = await db.models.contact.findById("telegram:42").lean();
    expect(contact?.subscribed).toBe(false);
    expect(contact?.unreachableAt).toBeNull();
    expect(contact?.unreachableCode).toBeNull();
  });
});
