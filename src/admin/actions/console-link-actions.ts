import { bindActions, defineActions, type ActionsOf, type AuthoriseStaff } from "../../engine/actions.js";
import { userKey } from "../../engine/messages.js";
import type { ConsoleRepo } from "../../db/console-repo.js";

/** `/web`: a single-use sign-in link to the staff console. */
export const CONSOLE_LINK_ACTIONS = defineActions({
  staff_console_link: { staff: "effect" },
});

/** How long a `/web` link works; it also works only once. */
export const CONSOLE_LINK_TTL_MS = 10 * 60_000;

/** What the link action needs. */
export interface ConsoleLinkDeps {
  links: Pick<ConsoleRepo, "issueLink">;
  /** Where the bot's HTTP server is reached (`PUBLIC_URL`); undefined: the console cannot be offered. */
  baseUrl: () => string | undefined;
  ttlMs: number;
  now: () => Date;
  authorise: AuthoriseStaff;
}

/** The link action: authorised against the stored staff list at this moment (and, as a staff effect, audited). */
export function createConsoleLinkActions(deps: ConsoleLinkDeps): ActionsOf<typeof CONSOLE_LINK_ACTIONS> {
  return bindActions(
    CONSOLE_LINK_ACTIONS,
    {
      staff_console_link: async (ctx) => {
        const base = deps.baseUrl();
        if (!base) return { say: [{ key: "console:link.unavailable" }] };
        const by = userKey(ctx.user);
        const token = await deps.links.issueLink(by, deps.now(), deps.ttlMs);
        return { say: [{ key: "console:link.sent", params: { url: `${base.replace(/\/+$/, "")}/console/signin/${token}` } }] };
      },
    },
    { authorise: deps.authorise },
  );
}
