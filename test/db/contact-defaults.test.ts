import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createConsentRepo } from "../../src/db/consent-repo.js";
import { collectionOf } from "../../src/db/models/collection.js";
import { createMongoSessionStore, pruneSessionRevisions } from "../../src/db/session-store.js";
import type { Session } from "../../src/engine/session.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

/** A stored session that has not chosen a language yet (the store treats it as opaque JSON). */
const noLocale = { version: 1, flow: "reg", step: "start", data: {} } as unknown as Session;

describe("contacts created by the database", () => {
  let db: Database;
  beforeAll(async () => {
    // Dropped fresh, then reopened as a deployment whose DEFAULT_LOCALE is English.
    await (await openTestDatabase("contact_defaults")).close();
    db = await openDatabase(testDatabaseUri("contact_defaults"), { operationTimeoutMS: 30_000, defaultLocale: "en" });
  });
  afterAll(() => db.close());

  it("a consent given before the first snapshot creates the contact in DEFAULT_LOCALE, subscribed", async () => {
    await createConsentRepo(db).give("telegram:c1", "announcements", new Date("2026-11-25T10:00:00Z"));
    const contact = await db.models.contact.findById("telegram:c1").lean();
    expect(contact).toMatchObject({ channel: "telegram", userId: "c1", locale: "en", subscribed: true });
  });

  it("a first save whose session has no language yet creates the contact in DEFAULT_LOCALE", async () => {
    const store = createMongoSessionStore(db, { flushMs: 3_600_000 });
    expect(await store.write("zalo:u:with:colons", noLocale, 0)).toBe("saved");
    const contact = await db.models.contact.findById("zalo:u:with:colons").lean();
    expect(contact).toMatchObject({ channel: "zalo", userId: "u:with:colons", locale: "en", subscribed: true });
    await store.close();
  });

  it("folding an old revision of an unknown contact creates it in DEFAULT_LOCALE", async () => {
    const at = new Date("2026-11-25T10:00:00Z");
    await collectionOf(db.models.sessionRevision).insertOne({ _id: "telegram:c2#1", key: "telegram:c2", rev: 1, session: noLocale, at });
    expect(await pruneSessionRevisions(db, new Date(at.getTime() + 1))).toEqual({ folded: 1, deleted: 1 });
    const contact = await db.models.contact.findById("telegram:c2").lean();
    expect(contact).toMatchObject({ channel: "telegram", userId: "c2", locale: "en", subscribed: true, sessionRev: 1 });
  });
});
