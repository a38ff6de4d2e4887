import { defineConsolePage } from "../define-page.js";

/** The console's front page: what is coming up. (The overview's figures and chart build on this.) */
export const overviewPage = defineConsolePage({
  id: "overview",
  path: "/console",
  nav: "console:nav.overview",
  routes(scope, ctx) {
    scope.get("/console", async (request, reply) => {
      const courses = await ctx.services.repos.staffCourses.listWithStats(200);
      const at = ctx.now().getTime();
      const upcoming = courses.filter((c) => c.startAt.getTime() >= at).sort((a, b) => a.startAt.getTime() - b.startAt.getTime()).slice(0, 5);
      return ctx.page(request, reply, "overview", { nav: "overview", title: "console:overview.title" }, { upcoming });
    });
  },
});
