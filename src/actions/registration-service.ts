/**
 * Course registration with its side effects: the repository does the claims; this adds the
 * hooks other parts attach (reminders: H5's jobs) and tells promoted people they got a seat.
 */
import type { Logger } from "../shared/logger.js";
import type { Database } from "../db/database.js";
import { userRefOfKey } from "../shared/user-key.js";
import { createContactsRepo } from "../db/contacts-repo.js";
import { createCoursesRepo } from "../db/courses-repo.js";
import type { I18nKey } from "../engine/messages.js";
import { createRegistrationsRepo, type CancelResult, type RegisterResult, type RegistrationRecord, type SettledRegistration } from "../db/registrations-repo.js";
import type { RegistrationInput } from "../domain/registration.js";
import type { Notifier } from "../engine/messages.js";


/** What a repaired registration's contact is told, by how it settled. */
const RECOVERED_KEYS = {
  confirmed: "courses:recovered.confirmed",
  waitlisted: "courses:recovered.waitlisted",
  removed: "courses:recovered.not_saved",
} as const satisfies Record<SettledRegistration["outcome"], I18nKey>;
/** Called after the fact; all optional, awaited, and an error is logged, never thrown. */
export interface RegistrationHooks {
  onConfirmed?(registration: RegistrationRecord): Promise<void> | void;
  onCancelled?(registration: RegistrationRecord): Promise<void> | void;
  onPromoted?(registration: RegistrationRecord): Promise<void> | void;
}

/** What the registration service needs. */
export interface RegistrationServiceDeps {
  db: Database;
  /** Tells a promoted person (in their language); optional in tests. */
  notifier?: Notifier;
  hooks?: RegistrationHooks;
  log?: Logger;
  /** The repositories, built once by the composition root (default: built here on `db`, for tests). */
  repos?: RegistrationRepos;
  /** The one registration service the composition root built; actions given it use it instead of building their own. */
  service?: RegistrationService;
}

/** The repositories the registration service works on. */
export interface RegistrationRepos {
  registrations: ReturnType<typeof createRegistrationsRepo>;
  courses: ReturnType<typeof createCoursesRepo>;
  contacts: ReturnType<typeof createContactsRepo>;
}


/** The registration service: register, cancel, erase, each followed by hooks and promotion notices. */
export function createRegistrationService(deps: RegistrationServiceDeps) {
  const repo = deps.repos?.registrations ?? createRegistrationsRepo(deps.db);
  const courses = deps.repos?.courses ?? createCoursesRepo(deps.db);
  const contacts = deps.repos?.contacts ?? createContactsRepo(deps.db);
  const hooks = deps.hooks ?? {};

  async function runHook(name: keyof RegistrationHooks, reg: RegistrationRecord): Promise<void> {
    try {
      await hooks[name]?.(reg);
    } catch (error) {
      // Ids only: no personal data in logs.
      deps.log?.error({ hook: name, registrationId: reg.id, err: error instanceof Error ? error.name : "unknown" }, "registration hook failed");
    }
  }

  async function announcePromotions(ids: string[]): Promise<void> {
    for (const id of ids) {
      const reg = await repo.byId(id);
      if (!reg || reg.status !== "confirmed") continue;
      await runHook("onPromoted", reg);
      if (!deps.notifier) continue;
      const course = await courses.findById(reg.courseId);
      if (!course) continue;
      const locale = await contacts.localeOf(reg.contactId);
      const title = locale === "en" ? (course.title.en ?? course.title.vi) : course.title.vi;
      try {
        await deps.notifier.notify(userRefOfKey(reg.contactId), [{ key: "courses:promoted.notice", params: { title, start: course.startAt } }]);
      } catch (error) {
        deps.log?.warn({ registrationId: id, err: error instanceof Error ? error.name : "unknown" }, "promotion notice failed");
      }
    }
  }

  async function tellSettled(settled: SettledRegistration): Promise<void> {
    if (!deps.notifier) return;
    const course = await courses.findById(settled.courseId);
    const locale = await contacts.localeOf(settled.contactId);
    const title = course ? (locale === "en" ? (course.title.en ?? course.title.vi) : course.title.vi) : "";
    const key = RECOVERED_KEYS[settled.outcome];
    try {
      await deps.notifier.notify(userRefOfKey(settled.contactId), [{ key, params: { title, start: course?.startAt ?? "" } }]);
    } catch (error) {
      deps.log?.warn({ registrationId: settled.registrationId, err: error instanceof Error ? error.name : "unknown" }, "repair notice failed");
    }
  }

  return {
    repo,
    /** Registers; confirmed → `onConfirmed`; others moved up meanwhile are announced. */
    async register(input: RegistrationInput, now: Date): Promise<RegisterResult> {
      const result = await repo.register(input, now);
      if (result.outcome === "confirmed") await runHook("onConfirmed", result.registration);
      if (result.outcome === "confirmed" || result.outcome === "waitlisted") await announcePromotions(result.promoted);
      return result;
    },
    /** Cancels (only the owner's when `contactId` is given); runs `onCancelled` and announces promotions. */
    async cancel(id: string, now: Date, contactId?: string): Promise<CancelResult> {
      const result = await repo.cancel(id, now, contactId);
      if (result.outcome === "cancelled") {
        await runHook("onCancelled", result.registration);
        await announcePromotions(result.promoted);
      }
      return result;
    },
    /** Promotes waiting people into free seats (call after raising a course's capacity); announces them. */
    async promoteWaiting(courseId: string, now: Date): Promise<string[]> {
      const promoted = await repo.fillFreeSeats(courseId, now);
      await announcePromotions(promoted);
      return promoted;
    },
    /**
     * Repairs what a crash left (see `repairStale`); run it from a periodic job, e.g. hourly with
     * `olderThan` = 10 minutes ago. Each person whose half-done registration was finished or
     * rolled back is told in their language (never silently deleted).
     */
    async repair(olderThan: Date, now: Date) {
      const result = await repo.repairStale(olderThan, now);
      for (const settled of result.settled) {
        if (settled.outcome === "confirmed") await runHook("onConfirmed", (await repo.byId(settled.registrationId))!);
        await tellSettled(settled);
      }
      await announcePromotions(result.promoted);
      return result;
    },
    /** Cancels and deletes every registration of a person (privacy); returns how many were deleted. */
    async eraseForContact(contactId: string, now: Date): Promise<number> {
      const regs = await repo.listForContact(contactId);
      for (const reg of regs) if (reg.status !== "cancelled") await this.cancel(reg.id, now);
      return (await repo.eraseForContact(contactId, now)).erased;
    },
  };
}

/** The registration service. */
export type RegistrationService = ReturnType<typeof createRegistrationService>;
