/**
 * The settings as the sources (flags, environment, YAML) see them: one flat
 * namespace, each key's name in each source, and the layer a source fills.
 *
 * @module
 */

import { type CoreOptions, defaultCoreOptions } from "../core/options.ts";

/** Every setting under one flat name; values are not yet validated. */
export interface Settings extends CoreOptions {
  name: string;
  bind: string;
  advertise?: string;
  join: string[];
  tags: Record<string, string>;
  control: string;
  controlToken?: string;
  controlTokenFile?: string;
  logLevel: string;
  logFormat: string;
  profile: string;
  onEvent: string[];
  onEventTimeoutMs: number;
}

/** A setting's name in the flat namespace. */
export type SettingKey = keyof Settings;

/**
 * How a source reads a setting's value. A `list` splits comma lists; a
 * `commands` list does not, as a shell command may hold commas.
 */
export type Kind = "string" | "list" | "commands" | "tags" | "integer";

/** The CoreOptions fields, in declaration order. */
export const CORE_KEYS = Object.keys(
  defaultCoreOptions(),
) as (keyof CoreOptions)[];

/** The settings outside CoreOptions, with their kinds. */
export const AGENT_KINDS = {
  name: "string",
  bind: "string",
  advertise: "string",
  join: "list",
  tags: "tags",
  control: "string",
  controlToken: "string",
  controlTokenFile: "string",
  logLevel: "string",
  logFormat: "string",
  profile: "string",
  onEvent: "commands",
  onEventTimeoutMs: "integer",
} as const satisfies Record<Exclude<SettingKey, keyof CoreOptions>, Kind>;

/** Every setting key: agent settings first, then core options. */
export const SETTING_KEYS: readonly SettingKey[] = [
  ...(Object.keys(AGENT_KINDS) as SettingKey[]),
  ...CORE_KEYS,
];

/** Settings whose values never appear in messages. */
export const SECRET_KEYS: ReadonlySet<SettingKey> = new Set(["controlToken"]);

/** How sources read `key`. */
export function kindOf(key: SettingKey): Kind {
  return (AGENT_KINDS as Record<string, Kind>)[key] ?? "integer";
}

/** `probeIntervalMs` → `probe-interval-ms`. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `probeIntervalMs` → `probe_interval_ms`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The flag without dashes; `tags` is `tag`, given once per tag. */
export function flagName(key: SettingKey): string {
  return key === "tags" ? "tag" : kebabCase(key);
}

/** The environment variable: `RADS_PROBE_INTERVAL_MS`. */
export function envName(key: SettingKey): string {
  return `RADS_${snakeCase(key).toUpperCase()}`;
}

/** The YAML key: `probe_interval_ms`. */
export function yamlName(key: SettingKey): string {
  return snakeCase(key);
}

/** What one source sets, and what was wrong with it. */
export interface Layer {
  /** Values this source sets; absent keys fall through to lower sources. */
  values: Partial<Settings>;
  /**
   * Where each value came from, for messages: `--bind`, `RADS_BIND`,
   * `bind in /etc/rads.yaml`. Tags are keyed `tags.KEY`.
   */
  origins: Record<string, string>;
  /** One line per problem found while reading the source. */
  problems: string[];
  /** Keys set to something unusable: checks that read them are skipped. */
  broken: Set<SettingKey>;
}

/** A layer that sets nothing. */
export function emptyLayer(): Layer {
  return { values: {}, origins: {}, problems: [], broken: new Set() };
}

/** Sets `key` in `layer`, remembering where the value came from. */
export function put<K extends SettingKey>(
  layer: Layer,
  key: K,
  value: Settings[K],
  origin: string,
): void {
  layer.values[key] = value;
  layer.origins[key] = origin;
}

/** Adds one tag to `layer`; a later tag with the same key wins. */
export function putTag(
  layer: Layer,
  key: string,
  value: string,
  origin: string,
): void {
  layer.values.tags = { ...layer.values.tags, [key]: value };
  layer.origins.tags ??= origin;
  layer.origins[`tags.${key}`] = origin;
}

/** Records that `key` held `value`, which is not of the kind expected. */
export function putBroken(
  layer: Layer,
  key: SettingKey,
  origin: string,
  expected: string,
  value: unknown,
): void {
  // A secret is named by its kind only, so logs never hold the token.
  const shown = SECRET_KEYS.has(key) ? "hidden" : describeValue(value);
  layer.problems.push(
    `Cannot start node as ${origin} must be ${expected}: current value is ${shown}`,
  );
  layer.broken.add(key);
}

/** A value as a message shows it: strings quoted, lists and maps named. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (value !== null && typeof value === "object") return "a mapping";
  return String(value);
}

/** A decimal integer written as text, or undefined; `-5` parses. */
export function parseIntegerText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** `a, b,,c` → `["a", "b", "c"]`: trims and drops empty items. */
export function splitList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** `KEY=VALUE` split at the first `=`, or undefined without one. */
export function splitTag(text: string): [string, string] | undefined {
  const eq = text.indexOf("=");
  if (eq < 0) return undefined;
  return [text.slice(0, eq), text.slice(eq + 1)];
}
