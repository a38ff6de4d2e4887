/** Tells a database outage (answer "try again later") from a bug, by the driver's error names and codes. */

const OUTAGE_NAMES = new Set([
  "DatabaseUnavailableError",
  "MongoServerSelectionError",
  "MongooseServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoNotConnectedError",
  "MongoPoolClosedError",
  "MongoWaitQueueTimeoutError",
  "MongoOperationTimeoutError",
]);

/**
 * True when `err` (or one of its causes) means the database is unreachable or briefly failing:
 * a connectivity error, or a server "InternalError" (code 1), which FerretDB's SQLite backend
 * returns for a write that lost a race under load. Either way the user should simply retry.
 */
export function isDatabaseOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (OUTAGE_NAMES.has(e.name)) return true;
    if ((e.name === "MongoServerError" || e.name === "MongoBulkWriteError") && "code" in e && e.code === 1) return true;
  }
  return false;
}
