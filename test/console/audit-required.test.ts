/** A console page that changes something without naming its audit action is refused at start-up. */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { Services } from "../../src/composition/services.js";
import { consoleRoutes } from "../../src/console/index.js";
import { defineConsolePage } from "../../src/console/define-page.js";
import { silentLogger } from "../../src/shared/logger.js";

const build = (audit: string | undefined) => {
  const page = defineConsolePage({
    id: "probe",
    path: "/console/probe",
    nav: "console:nav.overview",
    routes(scope) {
      scope.post("/console/probe", audit ? { config: { audit } } : {}, async () => "done");
    },
  });
  const app = Fastify();
  // Nothing is asked of the services until a request comes; start-up is what is tested.
  const services = { repos: { console: {} }, now: () => new Date() } as unknown as Services;
  void app.register(consoleRoutes({ services, render: (m) => m.key, defaultLocale: "vi", timeZone: "Asia/Ho_Chi_Minh", production: false, publicUrl: () => undefined, logger: silentLogger, signinPerMinute: 10, pages: [page] }));
  return app;
};

describe("console audit rule", () => {
  it("refuses a POST route without an audit action", async () => {
    await expect(build(undefined).ready()).rejects.toThrow(/names no audit action/);
  });
  it("accepts it with one", async () => {
    const app = build("probe.run");
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });
});
