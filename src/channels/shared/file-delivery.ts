/**
 * Files on every channel. A channel that can send files gets the file with a caption naming it
 * (the text arrives with the file or not at all). One that cannot (capability `files: "link"`) gets, instead of the
 * file, a single-use link that expires, or — without `PUBLIC_URL` — an honest line on where to
 * get the file. No reply ever says a file is attached when none is.
 */
import { userKey, type Bot, type ChannelName, type I18nKey, type Locale, type Msg, type Outgoing, type OutgoingDocument } from "../../engine/messages.js";

/** Where files are kept for links. */
export interface FileLinkIssuer {
  create(doc: OutgoingDocument, owner: string, now: Date, expiresAt: Date): Promise<string>;
}

/** How files are delivered on one channel. */
export interface FileDeliveryOptions {
  channel: ChannelName;
  /** The channel's `capabilities.files`: "upload" sends the file, "link" offers a single-use link. */
  files: "upload" | "link";
  render: (msg: Msg, locale: Locale) => string;
  defaultLocale: Locale;
  now: () => Date;
  /** `PUBLIC_URL` and the store: links are offered only with both. */
  links?: { publicUrl: string; issuer: FileLinkIssuer; ttlMs: number };
}

/** The path the HTTP server serves a link under. */
export const fileLinkPath = (token: string) => `/files/${token}`;

/** Wraps `bot` so the replies' files reach this channel's users in a way the channel can carry. */
export function withFileDelivery(bot: Bot, options: FileDeliveryOptions): Bot {
  const canSend = options.files === "upload";
  async function adapt(out: Outgoing, owner: string): Promise<Outgoing> {
    const doc = out.document;
    if (!doc) return out;
    const locale = out.locale ?? options.defaultLocale;
    const t = (key: I18nKey, params?: Msg["params"]) => options.render({ key, ...(params ? { params } : {}) }, locale);
    if (canSend) return { ...out, document: { ...doc, caption: t("channels:file.attached", { filename: doc.filename }) } };
    const { document: _dropped, ...rest } = out;
    const add = (line: string) => ({ ...rest, text: out.text.trim() === "" ? line : `${out.text}\n\n${line}` });
    if (!options.links) return add(t("channels:file.no_link", { filename: doc.filename }));
    const now = options.now();
    const minutes = Math.round(options.links.ttlMs / 60_000);
    try {
      const token = await options.links.issuer.create(doc, owner, now, new Date(now.getTime() + options.links.ttlMs));
      const url = `${options.links.publicUrl.replace(/\/+$/, "")}${fileLinkPath(token)}`;
      return add(t("channels:file.link", { filename: doc.filename, url, minutes }));
    } catch {
      // The database did not take the file: say so rather than promise a link that does not work.
      return add(t("channels:file.link_failed", { filename: doc.filename }));
    }
  }
  return {
    async handle(incoming) {
      const replies = await bot.handle(incoming);
      if (!replies.some((r) => r.document)) return replies;
      const owner = userKey(incoming.user);
      return Promise.all(replies.map((r) => adapt(r, owner)));
    },
  };
}
