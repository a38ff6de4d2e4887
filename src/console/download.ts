/** Sends a generated file as a download (the browser saves it under its name). */
import type { FastifyReply } from "fastify";
import type { OutgoingDocument } from "../engine/messages.js";

/** Replies with `doc` as an attachment. */
export function sendDownload(reply: FastifyReply, doc: OutgoingDocument): FastifyReply {
  // The name is ASCII already (writeSheet keeps [A-Za-z0-9_-]); filename* covers any other.
  const ascii = doc.filename.replace(/[^\w.-]+/g, "_");
  return reply
    .type(doc.mimeType)
    .header("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
    .send(doc.content);
}
