/**
 * The one list of channels. Everything that depends on which channels exist is derived from it:
 * the ChannelName union, the channels' settings in the config schema, staff-id parsing, send
 * budgets and log redaction. Adding a channel is its folder plus one line here.
 */
import type { z } from "zod";
import type { Channel } from "./shared/channel.js";
import type { ChannelDefinition, RequiredTogether, SettingsProblem } from "./shared/definition.js";
import { telegram } from "./telegram/index.js";
import { terminal } from "./terminal/index.js";
import { web } from "./web/index.js";
import { zalo } from "./zalo/index.js";

/** Every channel the bot has. */
export const channelDefinitions = [telegram, zalo, web, terminal] as const;

type Registered = (typeof channelDefinitions)[number];

/** A channel's name, exactly one of the registered ones. */
export type RegisteredChannelName = Registered["name"];

type ShapeOf<D> = D extends ChannelDefinition<string, infer S> ? S : never;
type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The channels' settings (every fragment's variables), merged into the app's config schema. */
export function mergedConfigShape<const D extends readonly ChannelDefinition[]>(definitions: D): Intersect<ShapeOf<D[number]>> {
  // The spread's type is the intersection of the fragments' shapes, which TypeScript cannot follow through reduce.
  return Object.assign({}, ...definitions.map((d) => d.config.shape)) as Intersect<ShapeOf<D[number]>>;
}

/** The registered channels' settings. */
export const channelConfigShape = mergedConfigShape(channelDefinitions);

/** The channels' settings as parsed. */
export type ChannelsConfig = z.infer<z.ZodObject<typeof channelConfigShape>>;

/** Rules across variables of every channel. */
export const channelRequiredTogether = (definitions: readonly ChannelDefinition[] = channelDefinitions): RequiredTogether[] =>
  definitions.flatMap((d) => d.requiredTogether ?? []);

/**
 * Every channel's own settings check (`check`), over its fragment of `env`. A fragment that does
 * not parse is skipped: the schema reports its problems already.
 */
export function channelSettingsProblems(env: Readonly<Record<string, string | undefined>>, production: boolean, definitions: readonly ChannelDefinition[] = channelDefinitions): SettingsProblem[] {
  return definitions.flatMap((d) => {
    const parsed = d.check ? d.config.safeParse(env) : undefined;
    return parsed?.success && d.check ? [...d.check(parsed.data, production)] : [];
  });
}

/** A staff id `channel:id` for these channels (names and id patterns from the definitions). */
export function staffIdPattern(definitions: readonly ChannelDefinition[] = channelDefinitions): RegExp {
  return new RegExp(`^(?:${definitions.map((d) => `${d.name}:${d.userIdPattern}`).join("|")})$`);
}

/** The example shown when a staff id is wrong. */
export const staffIdExample = (definitions: readonly ChannelDefinition[] = channelDefinitions): string =>
  definitions
    .filter((d) => !d.local)
    .slice(0, 2)
    .map((d, i) => `${d.name}:${i === 0 ? "123456" : "abc"}`)
    .join(",");

/** Log paths that hold a secret header of some channel. */
export const secretHeaderLogPaths = (definitions: readonly ChannelDefinition[] = channelDefinitions): string[] =>
  definitions.flatMap((d) => d.secretHeaders ?? []).map((h) => `req.headers["${h}"]`);

/** The definition of a channel by name. */
export function channelDefinition(name: string, definitions: readonly ChannelDefinition[] = channelDefinitions): ChannelDefinition | undefined {
  return definitions.find((d) => d.name === name);
}

/** Whether any non-local channel runs with these settings (channels that run alongside the terminal do not count). */
export const remoteChannelEnabled = (config: ChannelsConfig, definitions: readonly ChannelDefinition[] = channelDefinitions, production = false): boolean =>
  definitions.some((d) => !d.local && !d.alongside && d.enabled(config, false, production));

/** Each channel's send rate with these settings; a channel's own defaults fill what is not given. */
export function channelSendRates(config: Partial<ChannelsConfig> = {}, definitions: readonly ChannelDefinition[] = channelDefinitions): Map<string, { perSecond: number; perChatIntervalMs: number }> {
  return new Map(definitions.map((d) => [d.name, d.sendRate(d.config.parse(config))]));
}

/**
 * A deep link opening the bot with `payload` (a course code): from the first channel that has
 * deep links and knows its bot's username (from its settings, or from the running channel).
 */
export function deepLinkFor(config: ChannelsConfig, payload: string, running?: ReadonlyMap<string, Channel>, definitions: readonly ChannelDefinition[] = channelDefinitions): string | undefined {
  for (const definition of definitions) {
    const link = definition.capabilities.deepLink;
    const username = link && definition.botUsername?.(config, running?.get(definition.name));
    if (link && username) return link(username, payload);
  }
  return undefined;
}

/** Messages per second per channel with these settings (what `createSendBudgets` takes). */
export const ratesPerSecond = (config: Partial<ChannelsConfig>, definitions: readonly ChannelDefinition[] = channelDefinitions): Record<string, number> =>
  Object.fromEntries([...channelSendRates(config, definitions)].map(([name, rate]) => [name, rate.perSecond]));

/** Whether `name` is a registered channel's. */
export const isChannelName = (name: string, definitions: readonly ChannelDefinition[] = channelDefinitions): boolean => definitions.some((d) => d.name === name);

/** An account key `<channel>:<id>` of a registered channel, with ids of the characters in `idPattern`. */
export const accountKeyPattern = (idPattern: string, definitions: readonly ChannelDefinition[] = channelDefinitions): RegExp =>
  new RegExp(`^(?:${definitions.map((d) => d.name).join("|")}):${idPattern}$`);
