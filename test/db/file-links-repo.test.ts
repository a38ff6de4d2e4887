/** Single-use file links on the real database: once across two connections (two processes), expiry, unknown tokens. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaimsRepo } from "../../src/db/claims-repo.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createFileLinksRepo, type FileLinksRepo } from "../../src/db/file-links-repo.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const doc = { filename: "a.xlsx", mimeType: "application/octet-stream", content: Buffer.from("hello") };

describe("file links", () => {
  let a: Database;
  let b: Database;
  let repoA: FileLinksRepo;
  let repoB: FileLinksRepo;
  beforeAll(async () => {
    a = await openTestDatabase("file_links");
    b = await openDatabase(testDatabaseUri("file_links"));
    repoA = createFileLinksRepo(a, createClaimsRepo(a));
    repoB = createFileLinksRepo(b, createClaimsRepo(b));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("gives each file to exactly one of two processes taking it at the same moment", async () => {
    const now = new Date();
    for (let i = 0; i < 5; i++) {
      const token = await repoA.create(doc, "zalo:1", now, new Date(now.getTime() + 60_000));
      const results = await Promise.all([repoA.take(token, now), repoB.take(token, now)]);
      const wins = results.filter((r) => typeof r !== "string");
      expect(wins).toHaveLength(1);
      expect(wins[0]!.content.toString()).toBe("hello");
      expect(results.filter((r) => r === "used")).toHaveLength(1);
      expect(await repoB.take(token, now)).toBe("used");
    }
  });

  it("refuses an expired link and an unknown one; a look does not use a link up", async () => {
    const now = new Date();
    const token = await repoA.create(doc, "zalo:1", now, new Date(now.getTime() + 60_000));
    expect(typeof (await repoB.peek(token, now))).toBe("object");
    expect(typeof (await repoB.peek(token, now))).toBe("object");
    expect(await repoA.take(token, new Date(now.getTime() + 60_001))).toBe("expired");
    expect(await repoA.take("nope", now)).toBe("unknown");
  });
});
