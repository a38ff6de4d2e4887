import type { Connection } from "mongoose";
import { contactModel } from "./contact.js";
import { broadcastModel } from "./broadcast.js";
import { claimModel } from "./claim.js";
import { deliveryModel } from "./delivery.js";
import { inboxAttemptModel, inboxDoneModel, inboxModel } from "./inbox.js";
import { reminderModel } from "./reminder.js";
import { staffModel } from "./staff.js";
import { consentModel } from "./consent.js";
import { ticketModel } from "./ticket.js";
import { phraseModel } from "./phrase.js";
import { courseModel } from "./course.js";
import { enterpriseModel } from "./enterprise.js";
import { enterpriseContactModel } from "./enterprise-contact.js";
import { registrationClaimModel } from "./registration-claim.js";
import { privacyAuditModel } from "./privacy-audit.js";
import { registrationModel } from "./registration.js";
import { representationRequestModel } from "./representation-request.js";
import { seatModel } from "./seat.js";
import { sessionRevisionModel } from "./session-revision.js";
import { waitlistEntryModel } from "./waitlist-entry.js";
import { consoleModels } from "./console.js";
import { optOutModel } from "./opt-out.js";

/**
 * Every model of the app on one connection. Add yours here: indexes declared on schemas are
 * created by `openDatabase` at start.
 */
export function registerModels(conn: Connection) {
  return {
    contact: contactModel(conn),
    staff: staffModel(conn),
    broadcast: broadcastModel(conn),
    delivery: deliveryModel(conn),
    reminder: reminderModel(conn),
    claim: claimModel(conn),
    enterprise: enterpriseModel(conn),
    enterpriseContact: enterpriseContactModel(conn),
    course: courseModel(conn),
    consent: consentModel(conn),
    registration: registrationModel(conn),
    privacyAudit: privacyAuditModel(conn),
    representationRequest: representationRequestModel(conn),
    seat: seatModel(conn),
    waitlistEntry: waitlistEntryModel(conn),
    registrationClaim: registrationClaimModel(conn),
    sessionRevision: sessionRevisionModel(conn),
    ticket: ticketModel(conn),
    phrase: phraseModel(conn),
    inbox: inboxModel(conn),
    inboxDone: inboxDoneModel(conn),
    inboxAttempt: inboxAttemptModel(conn),
    optOut: optOutModel(conn),
    ...consoleModels(conn),
  };
}

/** The typed set of models. */
export type Models = ReturnType<typeof registerModels>;
