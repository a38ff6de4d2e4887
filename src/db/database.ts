import mongoose, { type Connection } from "mongoose";
import { DatabaseUnavailableError, redactUri } from "./errors.js";
import { migrateBeforeIndexes } from "./migrations.js";
import { registerModels, type Models } from "./models/index.js";
import type { Locale } from "../engine/messages.js";

/** An open database: the mongoose connection and every model, with indexes created. */
export interface Database {
  readonly connection: Connection;
  readonly models: Models;
  /** The language of a contact created before its conversation chose one (`DEFAULT_LOCALE`). */
  readonly defaultLocale: Locale;
  /** True when the server answers a ping now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The default bound on one database operation (ms). */
export const DEFAULT_DB_TIMEOUT_MS = 5_000;

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** How long to wait for the server before giving up (ms). */
  serverSelectionTimeoutMS?: number;
  /**
   * The most any one operation may wait on the server (ms; `DB_TIMEOUT_MS`, default 5 s): a
   * stalled server then fails the operation, and the user is told "temporarily unavailable".
   */
  operationTimeoutMS?: number;
  /** Connections in the pool; a few suffice for one bot process. */
  maxPoolSize?: number;
  /** Emit the driver's command events (the bench's profile counts commands per update). */
  monitorCommands?: boolean;
  /** `DEFAULT_LOCALE`: the language of a contact created outside a conversation (default vi). */
  defaultLocale?: Locale;
}

/**
 * Connects, registers the models and creates their indexes. Fails with
 * `DatabaseUnavailableError` (URI redacted) when the server cannot be reached.
 */
export async function openDatabase(uri: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const opTimeout = options.operationTimeoutMS ?? DEFAULT_DB_TIMEOUT_MS;
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? opTimeout,
    // Every wait on the server is bounded: the socket read, the handshake, a pooled connection.
    socketTimeoutMS: opTimeout,
    connectTimeoutMS: opTimeout,
    waitQueueTimeoutMS: opTimeout,
    maxPoolSize: options.maxPoolSize ?? 20,
    // FerretDB and MongoDB alike: writes are acknowledged before we answer the user.
    writeConcern: { w: 1 },
    autoIndex: false,
    monitorCommands: options.monitorCommands ?? false,
  });
  try {
    await connection.asPromise();
  } catch (cause) {
    await connection.close().catch(() => undefined);
    throw new DatabaseUnavailableError(redactUri(uri), { cause });
  }
  const models = registerModels(connection);
  await migrateBeforeIndexes(connection);
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  return {
    connection,
    models,
    defaultLocale: options.defaultLocale ?? "vi",
    async ping() {
      try {
        await connection.db?.admin().ping();
        return connection.db !== undefined;
      } catch {
        return false;
      }
    },
    close: () => connection.close(),
  };
}
