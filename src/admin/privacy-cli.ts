/**
 * `npm run admin -- privacy show|export|erase <channel:id>`, `privacy requests`,
 * `privacy approve|decline <request-id>`: self-contained so it can be ported to any CLI
 * framework; the logic is in `privacy-requests.ts`.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createMongoSessionStore } from "../db/session-store.js";
import type { Database } from "../db/database.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { createNoticeJob } from "../jobs/notice-job.js";
import { createRenderer } from "../i18n/renderer.js";
import { createPrivacyRequests, defaultActor, isSubject, type PrivacyRequests } from "./privacy-requests.js";

/** Where the privacy commands write. */
export interface PrivacyCliIo {
  out(line: string): void;
  err(line: string): void;
}

/** What the commands act on. */
export interface PrivacyCliContext {
  privacy: PrivacyRequests;
  writeFile(path: string, content: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** The usage text. */
export const PRIVACY_USAGE = `privacy show <channel:id> [--lang vi|en] [--by NAME]      what the bot stores about an account
privacy export <channel:id> [--out FILE] [--by NAME]     every stored document, as JSON
privacy erase <channel:id> --yes [--by NAME]             erase it (as "delete my data" does)
privacy requests                                          pending representation requests
privacy approve|decline <request-id> [--by NAME]          decide one (the people involved are told)
Every command except "requests" is recorded in the privacy_audit collection (who, when, what).`;

/** Builds the context from the admin CLI's open database and job queue (notices are sent by the running bot). */
export function privacyContext(opened: { db: Database; queue: JobQueue; writeFile(path: string, content: Buffer): Promise<void>; close(): Promise<void> }, timeZone: string): PrivacyCliContext {
  const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone });
  const sessions = createMongoSessionStore(opened.db);
  const privacy = createPrivacyRequests({
    db: opened.db,
    sessions,
    label: (m, l) => renderer.render(m, l),
    notifier: createNoticeJob({ queue: opened.queue }).queued,
  });
  return {
    privacy,
    writeFile: opened.writeFile,
    async close() {
      await sessions.close();
      await opened.close();
    },
  };
}

/** Runs one privacy command; exit code 0 ok, 1 not done, 2 usage error. */
export async function runPrivacyCli(argv: readonly string[], io: PrivacyCliIo, open: () => Promise<PrivacyCliContext>): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h" || rest.includes("--help")) {
    io.out(PRIVACY_USAGE);
    return verb ? 0 : 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: { by: { type: "string" }, lang: { type: "string" }, out: { type: "string" }, yes: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.err(`error: ${(error as Error).message}\n\n${PRIVACY_USAGE}`);
    return 2;
  }
  const by = typeof values.by === "string" && values.by.trim() !== "" ? values.by.trim() : defaultActor();
  const target = positionals[0];
  const needsSubject = ["show", "export", "erase"].includes(verb);
  if (!["show", "export", "erase", "requests", "approve", "decline"].includes(verb)) {
    io.err(`error: unknown command "privacy ${verb}"\n\n${PRIVACY_USAGE}`);
    return 2;
  }
  if (verb !== "requests" && (!target || positionals.length !== 1)) {
    io.err(`error: "privacy ${verb}" takes one ${needsSubject ? "account (channel:id)" : "request id"}\n\n${PRIVACY_USAGE}`);
    return 2;
  }
  if (needsSubject && !isSubject(target!)) {
    io.err(`error: "${target}" is not channel:id (e.g. telegram:123456789, zalo:abc)`);
    return 2;
  }
  if (verb === "erase" && values.yes !== true) {
    io.err("error: erasing cannot be undone: add --yes to confirm");
    return 2;
  }
  const lang = values.lang === "en" ? "en" : "vi";
  const ctx = await open();
  try {
    switch (verb) {
      case "show":
        for (const line of await ctx.privacy.show(target!, by, lang)) io.out(`${line}\n`);
        return 0;
      case "export": {
        const json = await ctx.privacy.export(target!, by);
        if (typeof values.out === "string") {
          await ctx.writeFile(values.out, Buffer.from(json, "utf8"));
          io.out(`written: ${values.out}`);
        } else io.out(json);
        return 0;
      }
      case "erase": {
        const c = await ctx.privacy.erase(target!, by);
        io.out(`erased ${target}: ${c.registrations} registration(s), ${c.enterprises} enterprise link(s), ${c.requests} request(s); unsubscribed`);
        return 0;
      }
      case "requests": {
        const lines = await ctx.privacy.requests();
        io.out(lines.length > 0 ? lines.join("\n") : "no pending requests");
        return 0;
      }
      default: {
        const outcome = await ctx.privacy.decide(target!, verb === "approve" ? "approve" : "decline", by);
        io.out(`${target}: ${outcome}`);
        return outcome === "approved" || outcome === "declined" ? 0 : 1;
      }
    }
  } finally {
    await ctx.close();
  }
}
