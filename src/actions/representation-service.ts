/**
 * Who may represent an enterprise: a second person's request waits until a confirmed contact
 * (in chat, /requests) or staff (chat or `npm run admin -- privacy approve|decline`) decides.
 * Everyone involved is told, in their own language; the requester learns nothing stored about
 * the enterprise before approval (only the tax code they typed, masked if it is a personal ID).
 */
import type { Database } from "../db/database.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { createRepresentationRepo, type RepresentationRequest } from "../db/representation-repo.js";
import type { ContactPerson } from "../domain/enterprise.js";
import { maskTaxId } from "../domain/personal-id.js";
import { maskPhone } from "../domain/phone.js";
import type { Msg, Notifier } from "../engine/messages.js";
import type { Logger } from "../shared/logger.js";
import { userRefOfKey } from "../shared/user-key.js";

/** What the service needs; `notifier` may queue (the CLI) or send at once (the bot). */
export interface RepresentationDeps {
  db: Database;
  notifier?: Notifier | undefined;
  log?: Logger | undefined;
}

/** Who decides: a chat contact (`channel:userId`) or staff (checked by the caller against the current staff list). */
export interface Decider {
  key: string;
  staff: boolean;
}

/** What a decision answered. */
export type DecideOutcome = "approved" | "declined" | "gone" | "not_found" | "not_allowed";

/** The representation service. */
export function createRepresentationService(deps: RepresentationDeps) {
  const repo = createRepresentationRepo(deps.db);
  const enterprises = createEnterprisesRepo(deps.db);

  async function tell(contactId: string, messages: Msg[]): Promise<void> {
    if (!deps.notifier) return;
    try {
      await deps.notifier.notify(userRefOfKey(contactId), messages);
    } catch (error) {
      // Ids only: no personal data in logs.
      deps.log?.warn({ err: error instanceof Error ? error.name : "unknown" }, "representation notice failed");
    }
  }

  /** The request's parameters for messages to those who may decide (their enterprise, so they see its name). */
  async function describe(r: RepresentationRequest): Promise<Record<string, string>> {
    const e = await enterprises.findByTaxCode(r.taxCode);
    return { enterprise: e?.name ?? "", tax_code: maskTaxId(r.taxCode), requester: r.person.name, phone: maskPhone(r.person.phone) };
  }

  return {
    repo,
    describe,
    /** Records the request and tells the enterprise's confirmed contacts how to decide. */
    async request(taxCode: string, person: ContactPerson, at: Date): Promise<{ id: string }> {
      const { id, created } = await repo.create(taxCode, person, at);
      if (created) {
        const r = (await repo.byId(id))!;
        const params = await describe(r);
        for (const contact of await enterprises.contactIdsOf(taxCode)) await tell(contact, [{ key: "enterprise:request.notice_contacts", params }]);
      }
      return { id };
    },
    /** Applies a decision if `by` may make it now; tells the requester the outcome and the other contacts who decided. */
    async decide(id: string, decision: "approve" | "decline", by: Decider, at: Date): Promise<DecideOutcome> {
      const r = await repo.byId(id);
      if (!r) return "not_found";
      if (!by.staff && !(await repo.mayDecide(r, by.key))) return "not_allowed";
      const params = await describe(r);
      const result = await repo.decide(id, decision, at);
      if (result.outcome === "not_found") return "not_found";
      const requesterMsg: Msg = result.outcome === "approved"
        ? { key: "enterprise:request.approved", params: { enterprise: params.enterprise ?? "", tax_code: params.tax_code ?? "" } }
        : { key: "enterprise:request.declined", params: { tax_code: params.tax_code ?? "" } };
      await tell(r.person.contactId, [requesterMsg]);
      if (result.outcome !== "gone") {
        const others = (await enterprises.contactIdsOf(r.taxCode)).filter((c) => c !== by.key && c !== r.person.contactId);
        for (const c of others) await tell(c, [{ key: `enterprise:request.decided_${result.outcome}`, params }]);
      }
      return result.outcome;
    },
  };
}

/** The representation service. */
export type RepresentationService = ReturnType<typeof createRepresentationService>;
