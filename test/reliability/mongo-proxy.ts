/**
 * A loopback TCP proxy in front of the database server that can fail every command except the
 * inbox's: "the database went away right after the update was stored". It reads the MongoDB
 * wire protocol (OP_MSG: the first key of the command document names the command, its value the
 * collection), so which operations fail is decided by what they are, not by timing.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

/** How blocked commands fail: the connection is reset, or nothing is ever answered. */
export type BlockMode = "reset" | "stall";

/** The proxy; `uri` replaces the server's in the bot's MONGODB_URI. */
export interface MongoProxy {
  readonly port: number;
  /** From now on, every command but the handshake and those on `inbox*` collections fails. */
  block(mode: BlockMode): void;
  /** Lets everything through again (stalled connections are closed). */
  unblock(): void;
  /** Commands failed so far. */
  readonly blocked: number;
  stop(): Promise<void>;
}

// The connection handshake and monitoring: the driver must keep seeing the server as up.
const ALWAYS = new Set(["hello", "ismaster", "saslstart", "saslcontinue", "buildinfo", "endsessions", "getlasterror"]);
const OP_MSG = 2013;

/** Command name and (when it is a string) its collection, of one OP_MSG; undefined for other messages. */
function commandOf(message: Buffer): { name: string; collection: string | undefined } | undefined {
  if (message.readInt32LE(12) !== OP_MSG || message.length < 26 || message[20] !== 0) return undefined;
  // Header (16) + flagBits (4) + section kind (1) + document length (4) = the first element.
  let at = 25;
  const type = message[at++];
  const end = message.indexOf(0, at);
  const name = message.toString("utf8", at, end);
  at = end + 1;
  const collection = type === 0x02 ? message.toString("utf8", at + 4, at + 4 + message.readInt32LE(at) - 1) : undefined;
  return { name: name.toLowerCase(), collection };
}

/** Starts the proxy to `upstreamPort` on 127.0.0.1. */
export async function startMongoProxy(upstreamPort: number): Promise<MongoProxy> {
  let mode: BlockMode | undefined;
  let blocked = 0;
  const sockets = new Set<Socket>();
  const stalled = new Set<Socket>();

  const server: Server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(upstreamPort, "127.0.0.1");
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      stalled.delete(client);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    let pending = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const size = pending.readInt32LE(0);
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        // A stalled connection answers nothing more (the driver times it out and closes it).
        if (stalled.has(client)) continue;
        const command = commandOf(message);
        const allowed = !mode || !command || ALWAYS.has(command.name) || (command.collection?.startsWith("inbox") ?? false);
        if (allowed) {
          upstream.write(message);
          continue;
        }
        blocked++;
        if (mode === "reset") {
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        stalled.add(client);
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy has no port");
  return {
    port: address.port,
    block(m) {
      mode = m;
    },
    unblock() {
      mode = undefined;
      for (const s of stalled) s.destroy();
      stalled.clear();
    },
    get blocked() {
      return blocked;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
