/** The admin CLI's context over the composition root's services: the bot's own services, without channels. */
import type { Services } from "../../composition/services.js";
import type { Database } from "../../db/database.js";
import type { CliContext } from "./types.js";

/** What the CLI adds to the services: its database handle, files and how it closes. */
export interface CliContextParts {
  db: Database;
  timeZone: string;
  readFile: CliContext["readFile"];
  writeFile: CliContext["writeFile"];
  close(): Promise<void>;
}

/** The commands' context from the services (notices, privacy decisions and ticket answers are queued for the running bot). */
export function cliContextFrom(services: Services, parts: CliContextParts): CliContext & { close(): Promise<void> } {
  const { staff } = services;
  return {
    privacy: services.privacy,
    // The CLI answers and closes tickets; it never opens one.
    tickets: services.tickets,
    courses: staff.courses,
    links: staff.links,
    broadcasts: staff.broadcasts,
    access: staff.access,
    queue: staff.queue,
    ...parts,
  };
}
