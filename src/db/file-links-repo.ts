/**
 * Files for channels that cannot send them (capability `files: "link"`): a file is stored under a random token and
 * served once by the bot's HTTP server. "Once" is a claim (`file:<token>`, a unique insert), so
 * two processes serving the same link at the same moment give it to one requester only.
 */
import { randomBytes } from "node:crypto";
import { Binary } from "mongodb";
import type { OutgoingDocument } from "../engine/messages.js";
import type { ClaimsRepo } from "./claims-repo.js";
import type { Database } from "./database.js";

/** A stored file as the link's page and download need it. */
export interface StoredFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  expiresAt: Date;
}

/** Why a link gives nothing. */
export type FileLinkRefusal = "unknown" | "used" | "expired";

interface FileDoc {
  _id: string;
  filename: string;
  mimeType: string;
  content: Binary;
  owner: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set once taken (the content is dropped then); the claim is what makes "once" hold. */
  usedAt?: Date;
}

/** Every operation gives up after this long (a stuck server must not hang a request). */
const OP_TIMEOUT_MS = 10_000;
/** Tokens are 24 random bytes: unguessable, and short enough for a chat message. */
const newToken = () => randomBytes(24).toString("base64url");

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`file links: timed out after ${OP_TIMEOUT_MS} ms`)), OP_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The file-links repository: create a link, look at one, take one (once). */
export function createFileLinksRepo(db: Database, claims: ClaimsRepo) {
  const native = db.connection.db;
  if (!native) throw new Error("file links: the database connection is not open");
  const files = native.collection<FileDoc>("file_links");
  return {
    /** Stores `doc` for `owner` (`channel:userId`) until `expiresAt`; the token of its link. */
    async create(doc: OutgoingDocument, owner: string, now: Date, expiresAt: Date): Promise<string> {
      const token = newToken();
      await withTimeout(files.insertOne({ _id: token, filename: doc.filename, mimeType: doc.mimeType, content: new Binary(doc.content), owner, createdAt: now, expiresAt }));
      // Expired files go when new ones come (no TTL indexes on FerretDB); exports are rare.
      await withTimeout(files.deleteMany({ expiresAt: { $lt: now } })).catch(() => undefined);
      return token;
    },
    /** The file behind a link, without taking it (for the download page). */
    async peek(token: string, now: Date): Promise<StoredFile | FileLinkRefusal> {
      const doc = await withTimeout(files.findOne({ _id: token }, { maxTimeMS: OP_TIMEOUT_MS }));
      if (!doc) return "unknown";
      if (doc.usedAt) return "used";
      if (doc.expiresAt.getTime() <= now.getTime()) return "expired";
      return { filename: doc.filename, mimeType: doc.mimeType, content: Buffer.from(doc.content.buffer), expiresAt: doc.expiresAt };
    },
    /** Takes the file: the first caller gets it, every later one (any process) gets "used". */
    async take(token: string, now: Date): Promise<StoredFile | FileLinkRefusal> {
      const found = await this.peek(token, now);
      if (typeof found === "string") return found;
      if (!(await withTimeout(claims.claimOnce(`file:${token}`, now)))) return "used";
      // The content goes now; the record stays until it expires so a second try hears "used".
      await withTimeout(files.updateOne({ _id: token }, { $set: { usedAt: now, content: new Binary(Buffer.alloc(0)) } })).catch(() => undefined);
      return found;
    },
  };
}

/** The file-links repository. */
export type FileLinksRepo = ReturnType<typeof createFileLinksRepo>;
