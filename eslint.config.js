// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Each third-party library is imported from one folder only (see docs/ARCHITECTURE.md). */
const owned = [
  { name: "telegraf", folder: "src/channels/telegram/" },
  { name: "axios", folder: "src/channels/zalo/" },
  { name: "mongoose", folder: "src/db/" },
  { name: "mongodb", folder: "src/db/" },
  { name: "agenda", folder: "src/jobs/" },
  { name: "@agendajs/mongo-backend", folder: "src/jobs/" },
  { name: "fastify", folder: "src/server/", also: "src/channels/web/" },
  { name: "@fastify/websocket", folder: "src/channels/web/" },
  { name: "@fastify/cookie", folder: "src/channels/web/" },
  { name: "@fastify/rate-limit", folder: "src/channels/web/" },
  { name: "i18next", folder: "src/i18n/" },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "bench/results/", ".data/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...owned.map(({ name, folder, also }) => ({
    files: ["src/**/*.ts"],
    // The web channel serves its own routes (fastify plugins the HTTP server mounts).
    ignores: [`${folder}**`, ...(also ? [`${also}**`] : [])],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name, message: `import ${name} only inside ${folder}` }] }],
    },
  })),
  {
    // The web chat's browser scripts: plain scripts, no modules, no build.
    files: ["src/channels/web/public/**/*.js", "src/console/public/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: Object.fromEntries(["window", "document", "location", "navigator", "crypto", "fetch", "WebSocket", "Uint8Array", "console", "setTimeout"].map((g) => [g, "readonly"])),
    },
  },
  {
    files: ["src/engine/**/*.ts", "src/domain/**/*.ts"],
    // No exemptions: the runtime that reads files and does I/O lives in src/runtime/.
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["telegraf", "axios", "mongoose", "mongodb", "agenda", "fastify", "node:fs", "node:http", "node:net", "*/db/*", "*/channels/*", "*/jobs/*"], message: "engine and domain stay pure: pass dependencies in" }],
      }],
    },
  },
);
