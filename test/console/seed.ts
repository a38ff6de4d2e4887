/**
 * Data for the console's page tests, written through the services and repositories the chat
 * uses: courses through course administration, registrations through the registration service,
 * enterprises and representation requests through theirs, questions through the ticket service.
 */
import { systemClock } from "../../src/shared/clock.js";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createRepresentationService } from "../../src/actions/representation-service.js";
import { createTicketService } from "../../src/actions/tickets-service.js";
import { createStaffModule } from "../../src/admin/staff-module.js";
import { createRepositories } from "../../src/composition/repositories.js";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import type { EnterpriseRef } from "../../src/domain/registration.js";

export const consentAt = new Date("2026-01-15T00:00:00Z");
/** A contact person as the enterprise form records one. */
export const person = (contactId: string, name: string, phone: string) => ({ contactId, name, phone, email: null, consentAt });

/** Seeding helpers on `db`; `stop()` when done. */
export function seeder(db: Database) {
  const staff = createStaffModule({ db, staffIds: [], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: { telegram: 30, zalo: 10 } });
  const repos = createRepositories(db);
  const registration = createRegistrationService({ db, repos });
  const enterprises = createEnterprisesRepo(db);
  const representation = createRepresentationService({ db });
  const tickets = createTicketService({ repo: repos.tickets, notifier: { notify: async () => ({ ok: true }) }, recipients: async () => [], clock: systemClock, rateLimit: 100 });
  return {
    async course(title: string, capacity = "10"): Promise<string> {
      const c = await staff.courses.create({ title_vi: title, title_en: `${title} (en)`, start: "20/12/2030 08:00", end: "20/12/2030 11:00", place: "Nha Trang", capacity });
      if (!c.ok) throw new Error("course not created");
      return c.id;
    },
    async register(courseId: string, contactId: string, fullName: string, phone: string, enterprise: EnterpriseRef | null = null) {
      const r = await registration.register({ courseId, contactId, fullName, phone, enterprise, jobTitle: null, consentAt }, new Date());
      if (r.outcome !== "confirmed" && r.outcome !== "waitlisted") throw new Error(`not registered: ${r.outcome}`);
      return r.registration;
    },
    async enterprise(name: string, taxCode: string, sector: string, size: string, contact: ReturnType<typeof person>) {
      const r = await enterprises.create({ name, taxCode, sector, size, address: "Nha Trang", supportInterests: [], contact } as Parameters<typeof enterprises.create>[0]);
      if (!r.ok) throw new Error("enterprise not created");
    },
    request: (taxCode: string, who: ReturnType<typeof person>) => representation.request(taxCode, who, new Date()),
    question: (channel: "telegram" | "zalo", userId: string, name: string, question: string) => tickets.open({ channel, userId }, name, question),
    stop: () => staff.stop(),
  };
}
