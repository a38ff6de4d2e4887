/**
 * A loopback TCP forwarder in front of the test database that a test can cut, as if the server
 * went away: no new connections, the open ones closed.
 */
import { connect, createServer, type Socket } from "node:net";

/** The forwarder: `uri` points at it; `cut()` takes the server away for good. */
export interface CuttableProxy {
  readonly uri: string;
  cut(): Promise<void>;
  close(): void;
}

/** Starts a forwarder to the server of `mongoUri` (same database name, another port). */
export async function startCuttableProxy(mongoUri: string): Promise<CuttableProxy> {
  const uri = new URL(mongoUri);
  const upstreamPort = Number(uri.port);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy()).on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  uri.port = String(address.port);
  const cut = async () => {
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    uri: uri.toString(),
    cut,
    close: () => {
      for (const s of sockets) s.destroy();
      if (server.listening) server.close();
    },
  };
}
