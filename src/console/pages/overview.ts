import { DateTime } from "luxon";
import { ENTERPRISE_SIZE_IDS, SECTOR_IDS } from "../../domain/sectors.js";
import { defineConsolePage } from "../define-page.js";

/** Days the sign-ups chart covers. */
const SIGNUP_DAYS = 30;

/**
 * The console's front page: enterprises by sector and size, registrations for upcoming courses,
 * sign-ups per day (a chart), announcements sent and delivered. Figures come from the stats
 * repository (reads only).
 */
export const overviewPage = defineConsolePage({
  id: "overview",
  path: "/console",
  nav: "console:nav.overview",
  routes(scope, ctx) {
    scope.get("/console", async (request, reply) => {
      const { stats } = ctx.services.repos;
      const now = ctx.now();
      const [courses, enterprises, signups, announcements] = await Promise.all([
        ctx.services.repos.staffCourses.listWithStats(200),
        stats.enterpriseBreakdown(),
        stats.signupsPerDay(now, SIGNUP_DAYS, ctx.timeZone),
        stats.broadcastTotals(),
      ]);
      const at = now.getTime();
      const upcoming = courses.filter((c) => c.startAt.getTime() >= at && c.status !== "cancelled").sort((a, b) => a.startAt.getTime() - b.startAt.getTime()).slice(0, 10);
      // The chart's data: numbers only (unix seconds per day at midnight in the office's zone, then each series).
      const chart = [
        signups.map((d) => DateTime.fromISO(d.day, { zone: ctx.timeZone }).toSeconds()),
        signups.map((d) => d.registrations),
        signups.map((d) => d.enterprises),
      ];
      const bySector = SECTOR_IDS.map((id) => ({ id, count: enterprises.bySector[id] ?? 0 }));
      const bySize = ENTERPRISE_SIZE_IDS.map((id) => ({ id, count: enterprises.bySize[id] ?? 0 }));
      return ctx.page(request, reply, "overview", { nav: "overview", title: "console:overview.title" }, {
        upcoming, enterprises, bySector, bySize, signups, chart, days: SIGNUP_DAYS, announcements,
      });
    });
  },
});
