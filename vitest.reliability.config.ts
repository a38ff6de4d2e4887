import { defineConfig } from "vitest/config";

/**
 * `npm run test:reliability`: outage, crash, fuzz, security, load and two-process tests
 * (test/reliability/). Slower than `npm test`, still bounded: every wait has a deadline.
 */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    // No shared server: each file starts its own (it stops and restarts it in the outage test).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The tests start processes and database servers of their own: one file at a time.
    fileParallelism: false,
  },
});
