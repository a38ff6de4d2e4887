import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalServer, type LocalServer } from "../src/db/local-server.js";

let server: LocalServer | undefined;
let dataDir: string | undefined;

/**
 * One real MongoDB-protocol server for the whole run (FerretDB unless MONGODB_URI is set).
 * Each test file opens its own database on it (see test/helpers/db.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), "nscl-test-db-"));
    server = await startLocalServer({ dataDir });
    uri = server.uri;
  }
  project.provide("mongoUri", uri);
}

/** Stops the server this run started and removes its data. */
export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
