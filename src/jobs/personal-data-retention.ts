/**
 * Personal-data retention (Law 91/2025/QH15; periods in `RetentionPolicy`, configured in
 * src/config.ts and stated in the consent notices), run by the maintenance pass:
 * - registrations of courses that ended more than `courseMonths` ago lose their personal fields
 *   (name, phone, enterprise, job title); the rows stay as anonymous counts;
 * - an enterprise contact person whose chat account was last seen more than `enterpriseMonths`
 *   ago is removed (an enterprise left without contacts is deleted);
 * - a representation request undecided for `requestDays` is dropped and the requester told.
 * Idempotent and safe in several processes (each step is a delete or a $set to the same values).
 */
import { userRefOfKey } from "../shared/user-key.js";
import type { Database } from "../db/database.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { createRepresentationRepo } from "../db/representation-repo.js";
import { maskTaxId } from "../domain/personal-id.js";
import type { RetentionPolicy } from "../domain/retention.js";
import type { Notifier } from "../engine/messages.js";

/** What one retention pass did (counts only). */
export interface RetentionResult {
  registrationsAnonymised: number;
  contactPersonsRemoved: number;
  requestsExpired: number;
}

const DAY = 86_400_000;

/** `months` calendar months before `now`. */
function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Builds the retention pass for `startMaintenance`'s `enforceRetention`. */
export function createPersonalDataRetention(deps: { db: Database; retention: RetentionPolicy; notifier?: Notifier | undefined }) {
  const { course, registration, contact, enterpriseContact } = deps.db.models;
  const enterprises = createEnterprisesRepo(deps.db);
  const requests = createRepresentationRepo(deps.db);

  return async function enforce(now: Date): Promise<RetentionResult> {
    const ended = (await course.find({ endAt: { $lt: monthsBefore(now, deps.retention.courseMonths) } }, { _id: 1 }).lean()).map((c) => c._id);
    const anonymised = ended.length === 0 ? { modifiedCount: 0 } : await registration.updateMany(
      { courseId: { $in: ended }, erasedAt: null },
      { $set: { fullName: null, phone: null, enterprise: { kind: null, taxCode: null, name: null }, jobTitle: null, erasedAt: now } },
    );

    const linked = [...new Set((await enterpriseContact.find({}, { contactId: 1 }).lean()).map((l) => l.contactId))];
    const idle = linked.length === 0 ? [] : await contact.find({ _id: { $in: linked }, lastSeenAt: { $lt: monthsBefore(now, deps.retention.enterpriseMonths) } }, { _id: 1 }).lean();
    for (const c of idle) await enterprises.removeContact(c._id);

    const expired = await requests.expire(new Date(now.getTime() - deps.retention.requestDays * DAY));
    for (const r of expired) {
      await deps.notifier?.notify(userRefOfKey(r.person.contactId), [{ key: "enterprise:request.expired", params: { tax_code: maskTaxId(r.taxCode) } }]).catch(() => undefined);
    }
    return { registrationsAnonymised: anonymised.modifiedCount, contactPersonsRemoved: idle.length, requestsExpired: expired.length };
  };
}
