/**
 * `GET /files/:token` shows a small page with a download button; `POST /files/:token` hands the
 * file over, once. The split keeps link previews (chat apps fetch a link to show a preview) from
 * using up a single-use link: they GET, only a person's button press POSTs.
 */
import type { FastifyInstance } from "fastify";
import type { FileLinkRefusal, StoredFile } from "../db/file-links-repo.js";

/** What the routes need: look at a link, take it once. */
export interface FileLinkServer {
  peek(token: string, now: Date): Promise<StoredFile | FileLinkRefusal>;
  take(token: string, now: Date): Promise<StoredFile | FileLinkRefusal>;
  now?: () => Date;
}

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const STATUS: Record<FileLinkRefusal, number> = { unknown: 404, used: 410, expired: 410 };
// The person opening the link may not have chosen a language with this page: both, Vietnamese first.
const REFUSAL_TEXT: Record<FileLinkRefusal, string> = {
  unknown: "Liên kết không tồn tại. / This link does not exist.",
  used: "Liên kết này đã được dùng (chỉ tải được một lần). Hãy xuất lại tệp trong cuộc trò chuyện. / This link was already used (one download only). Export the file again in the chat.",
  expired: "Liên kết này đã hết hạn. Hãy xuất lại tệp trong cuộc trò chuyện. / This link has expired. Export the file again in the chat.",
};
const HEADERS = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex", "x-content-type-options": "nosniff" };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>NSCL</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`;
}

/** The file routes, as a fastify plugin (its form parser stays inside it). */
export function fileRoutes(files: FileLinkServer) {
  const now = () => files.now?.() ?? new Date();
  return async (scope: FastifyInstance): Promise<void> => {
    // The download button posts an empty form: accept it without reading anything from it.
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));

    scope.get<{ Params: { token: string } }>("/files/:token", async (request, reply) => {
      const token = request.params.token;
      const found = TOKEN.test(token) ? await files.peek(token, now()) : "unknown";
      void reply.headers(HEADERS).type("text/html; charset=utf-8");
      if (typeof found === "string") return reply.code(STATUS[found]).send(page(`<p>${escapeHtml(REFUSAL_TEXT[found])}</p>`));
      const name = escapeHtml(found.filename);
      return reply.send(
        page(`<p>${name}</p><form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.2rem">Tải tệp / Download</button></form><p><small>Chỉ tải được một lần. / One download only.</small></p>`),
      );
    });

    scope.post<{ Params: { token: string } }>("/files/:token", async (request, reply) => {
      const token = request.params.token;
      const found = TOKEN.test(token) ? await files.take(token, now()) : "unknown";
      void reply.headers(HEADERS);
      if (typeof found === "string") return reply.code(STATUS[found]).type("text/html; charset=utf-8").send(page(`<p>${escapeHtml(REFUSAL_TEXT[found])}</p>`));
      const ascii = found.filename.replace(/[^A-Za-z0-9._-]/g, "_");
      return reply
        .type(found.mimeType)
        .header("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(found.filename)}`)
        .send(found.content);
    });
  };
}
