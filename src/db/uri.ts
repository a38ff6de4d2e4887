/** Helpers for MongoDB connection strings. */

/** The same server, another database name (keeps credentials and options). */
export function withDatabaseName(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database name in a URI, or `fallback` when it names none. */
export function databaseNameOf(uri: string, fallback: string): string {
  const name = new URL(uri).pathname.replace(/^\//, "");
  return name === "" ? fallback : decodeURIComponent(name);
}
