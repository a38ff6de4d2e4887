import type { FastifyInstance } from "fastify";
import type { ConsoleContext } from "./context.js";

/** One page (or group of pages) of the console: its menu entry and its routes. */
export interface ConsolePage {
  /** The menu id, e.g. `courses`; also the template folder by convention. */
  readonly id: string;
  /** Where the menu links, e.g. `/console/courses`. */
  readonly path: string;
  /** The menu label's key (`console:nav.<id>`). */
  readonly nav: string;
  /**
   * Adds the page's routes to the signed-in scope. Every route that changes something must say
   * what it is in its route config (`config: { audit: "course.create" }`); the console refuses
   * to start otherwise, and records each such request (who, what, target, outcome).
   */
  routes(scope: FastifyInstance, ctx: ConsoleContext): void;
}

/** Declares a page (the registry in `pages/index.ts` lists them; the menu is derived from it). */
export function defineConsolePage(page: ConsolePage): ConsolePage {
  return page;
}
