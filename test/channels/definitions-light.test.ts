/**
 * A channel's definition (its `index.ts`, error classifier included) loads no platform library:
 * following its static imports never reaches telegraf or axios, which load only inside `create`.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { channelDefinitions } from "../../src/channels/registry.js";
import { reachedPackages } from "../helpers/static-imports.js";

const PLATFORM_LIBRARIES = /^(telegraf|axios)(\/|$)/;

describe("channel definitions stay light", () => {
  it.each(channelDefinitions.map((d) => d.name))("%s: its definition imports no platform library", (name) => {
    const reached = [...reachedPackages(resolve("src/channels", name, "index.ts"))];
    expect(reached.filter((p) => PLATFORM_LIBRARIES.test(p))).toEqual([]);
  });

  it("the walk finds a platform library where there is one", () => {
    expect([...reachedPackages(resolve("src/channels/telegram/telegram-delivery.ts"))]).toContain("telegraf");
    expect([...reachedPackages(resolve("src/channels/zalo/zalo-client.ts"))]).toContain("axios");
  });
});
