/**
 * Data-subject requests that arrive outside the chat (by phone or letter), answered by staff:
 * show or export everything stored about an account, erase it, and decide representation
 * requests. Every action leaves an audit record (who, when, what, on which account); log lines
 * carry only the record's id and the action, never personal data.
 */
import { accountKeyPattern } from "../channels/registry.js";
import { userInfo } from "node:os";
import { createPersonalData, type ErasureCounts } from "../actions/privacy.js";
import { createRepresentationService } from "../actions/representation-service.js";
import type { RegistrationService } from "../actions/registration-service.js";
import type { Database } from "../db/database.js";
import { maskTaxId } from "../domain/personal-id.js";
import type { PrivacyAction } from "../domain/consent.js";
import type { Locale, Msg, Notifier } from "../engine/messages.js";
import { dateOf, systemClock, type Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";

/** What the privacy requests need; `notifier` may queue (the CLI has no channel). */
export interface PrivacyRequestsDeps {
  db: Database;
  sessions: { erase(key: string): Promise<void> };
  /** Renders a message (the i18n renderer). */
  label: (msg: Msg, locale: Locale) => string;
  notifier?: Notifier | undefined;
  logger?: Logger | undefined;
  /** Stamps the audit records (default: the machine's clock). */
  clock?: Clock;
  /** The composition root's one registration service (default: one built here). */
  registration?: RegistrationService;
  /** Erases what the account's channel keeps itself (e.g. a chat history of its own). */
  forgetChannelData?: (key: string) => Promise<void>;
}

/** A staff action on personal data, as audited. */
export type { PrivacyAction } from "../domain/consent.js";

// Any registered channel's account key.
const SUBJECT = accountKeyPattern("[A-Za-z0-9_.@-]{1,64}");

/** True for an account key the bot uses (`<channel>:<id>` of a registered channel). */
export function isSubject(key: string): boolean {
  return SUBJECT.test(key);
}

/** Who runs the CLI when `--by` is not given. */
export function defaultActor(): string {
  try {
    return `os:${userInfo().username}`;
  } catch {
    return "os:unknown";
  }
}

/** A pending representation request as staff see it in a list. */
export interface PendingRequest {
  id: string;
  enterprise: string;
  /** Masked when it is a personal ID. */
  taxCode: string;
  requester: string;
  /** Masked. */
  phone: string;
  createdAt: Date;
}

/** The privacy requests module. */
export function createPrivacyRequests(deps: PrivacyRequestsDeps) {
  const now = dateOf(deps.clock ?? systemClock);
  const personal = createPersonalData({ db: deps.db, sessions: deps.sessions, label: deps.label, notifier: deps.notifier, log: deps.logger, ...(deps.registration ? { service: deps.registration } : {}) });
  const representation = createRepresentationService({ db: deps.db, notifier: deps.notifier, log: deps.logger });
  const m = deps.db.models;

  async function audit(by: string, action: PrivacyAction, subject: string, result: unknown): Promise<string> {
    const doc = await m.privacyAudit.create({ at: now(), by, action, subject, result });
    deps.logger?.info({ audit: doc._id, action }, "privacy request answered");
    return doc._id;
  }

  return {
    /** "Show my data" for this account, rendered in `locale`, as the person would see it. */
    async show(subject: string, by: string, locale: Locale = "vi"): Promise<string[]> {
      const { say } = await personal.show(subject, locale);
      await audit(by, "show", subject, { items: say.length });
      return say.map((msg) => deps.label(msg, locale));
    },
    /** Every stored document about this account, as JSON (to hand to the person). */
    async export(subject: string, by: string): Promise<string> {
      const links = await m.enterpriseContact.find({ contactId: subject }).lean();
      const data = {
        account: subject,
        exportedAt: now().toISOString(),
        contact: await m.contact.findById(subject).lean(),
        consents: await m.consent.find({ contactId: subject }).lean(),
        enterpriseContacts: links,
        enterprises: await m.enterprise.find({ _id: { $in: links.map((l) => l.taxCode) } }).lean(),
        representationRequests: await m.representationRequest.find({ contactId: subject }).lean(),
        registrations: await m.registration.find({ contactId: subject }).lean(),
        // Announcement stops of the last day (kept for running broadcasts, see models/opt-out.ts).
        optOuts: await m.optOut.find({ contact: subject }).lean(),
      };
      await audit(by, "export", subject, { enterprises: data.enterprises.length, registrations: data.registrations.length });
      return JSON.stringify(data, null, 2);
    },
    /** Erases the account's personal data exactly as "delete my data" in the chat does. */
    async erase(subject: string, by: string): Promise<ErasureCounts> {
      const counts = await personal.erase(subject, now());
      await deps.forgetChannelData?.(subject);
      await audit(by, "erase", subject, counts);
      return counts;
    },
    /** Pending representation requests (staff see all), one line each: id, code (masked if personal), requester. */
    async requests(): Promise<string[]> {
      const list = await representation.repo.decidableBy("", true);
      return list.map((r) => `${r.id}  ${maskTaxId(r.taxCode)}  ${r.person.name}  ${r.createdAt.toISOString()}`);
    },
    /** Pending representation requests (staff see all), oldest first: the enterprise, the code (masked if personal), who asks (phone masked). */
    async pending(): Promise<PendingRequest[]> {
      const list = await representation.repo.decidableBy("", true);
      const out: PendingRequest[] = [];
      for (const r of list) {
        const d = await representation.describe(r);
        out.push({ id: r.id, enterprise: d.enterprise ?? "", taxCode: d.tax_code ?? "", requester: d.requester ?? "", phone: d.phone ?? "", createdAt: r.createdAt });
      }
      return out;
    },
    /** Approves or declines a request as staff; the requester and the contacts are told (queued). */
    async decide(id: string, decision: "approve" | "decline", by: string) {
      const outcome = await representation.decide(id, decision, { key: by, staff: true }, now());
      await audit(by, decision, id, { outcome });
      return outcome;
    },
  };
}

/** The privacy requests module. */
export type PrivacyRequests = ReturnType<typeof createPrivacyRequests>;
