/**
 * What every console page is given: the services (the same ones the chat and the CLI use — the
 * console adds no business rules), texts, formatting, rendering and the audit trail.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../composition/services.js";
import type { Locale, Msg } from "../engine/messages.js";
import type { ConsoleSession } from "../db/console-repo.js";

/** The signed-in staff member of a request (set by the session hook on every console page). */
export interface ConsoleUser {
  session: ConsoleSession;
  /** `channel:userId`. */
  staffKey: string;
  locale: Locale;
}

/** Texts and formats for one locale, as templates use them. */
export interface ConsoleTexts {
  locale: Locale;
  /** A console text (`console:…` or any other namespace's key). */
  t(key: string, params?: Record<string, string | number | Date>): string;
  /** A date and time in the office's zone, e.g. 25/12/2030 08:00. */
  dateTime(date: Date | null | undefined): string;
  /** A number with the locale's separators. */
  number(value: number): string;
}

/** The page data every template receives besides its own. */
export interface PageFrame {
  /** The page's navigation id (highlighted in the menu). */
  nav: string;
  /** The page title's key. */
  title: string;
}

/** The console's shared parts, handed to every page's routes. */
export interface ConsoleContext {
  readonly services: Services;
  readonly now: () => Date;
  readonly timeZone: string;
  /** `PUBLIC_URL` or, in development, the bound localhost address: for sign-up links and QR codes. */
  publicUrl(): string | undefined;
  render(msg: Msg, locale: Locale): string;
  texts(locale: Locale): ConsoleTexts;
  /** The signed-in staff member (pages are only reached with one). */
  user(request: FastifyRequest): ConsoleUser;
  /**
   * Renders `view` (under src/console/views, without `.eta`) in the layout; an htmx request for a
   * fragment (`fragment: true`) gets the view alone. `status` defaults to 200.
   */
  page(request: FastifyRequest, reply: FastifyReply, view: string, frame: PageFrame, data?: Record<string, unknown>, options?: { status?: number; fragment?: boolean }): Promise<FastifyReply>;
  /** Records a staff action outside the automatic per-form record (e.g. what an export contained). */
  audit(request: FastifyRequest, action: string, target?: string | null, result?: string | null): Promise<void>;
}
