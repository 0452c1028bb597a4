/**
 * Settings from `RADS_*` environment variables.
 *
 * @module
 */

import { closest } from "./_suggest.ts";
import {
  emptyLayer,
  envName,
  kindOf,
  type Layer,
  parseIntegerText,
  put,
  putBroken,
  putTag,
  SETTING_KEYS,
  type SettingKey,
  splitList,
  splitTag,
} from "./_settings.ts";

/** Environment variable naming the config file when --config is absent. */
export const CONFIG_ENV = "RADS_CONFIG";

/** What the environment asks for. */
export interface EnvResult {
  /** RADS_CONFIG, when set. */
  configPath?: string;
  /** The settings the environment sets. */
  layer: Layer;
  /** RADS_* variables that name no setting, most likely typos. */
  warnings: string[];
}

/**
 * Reads RADS_NAME, RADS_JOIN (a comma list), RADS_TAGS (a comma list of
 * KEY=VALUE), RADS_ON_EVENT (one command), RADS_PROBE_INTERVAL_MS and the
 * rest. Empty values count as
 * unset, so `RADS_JOIN=` in a unit file changes nothing.
 */
export function readEnv(env: Record<string, string | undefined>): EnvResult {
  const layer = emptyLayer();
  for (const key of SETTING_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value.trim() !== "") readVar(layer, key, value);
  }

  const warnings = unknownVars(env);
  const configPath = env[CONFIG_ENV];
  if (configPath === undefined || configPath.trim() === "") {
    return { layer, warnings };
  }
  return { configPath, layer, warnings };
}

function unknownVars(env: Record<string, string | undefined>): string[] {
  const known = [...SETTING_KEYS.map(envName), CONFIG_ENV];
  return Object.keys(env)
    .filter((name) => name.startsWith("RADS_") && !known.includes(name))
    .sort()
    .map((name) => {
      const guess = closest(name, known);
      const hint = guess === undefined ? "" : ` (did you mean ${guess}?)`;
      return `unknown environment variable ${name} ignored${hint}`;
    });
}

function readVar(layer: Layer, key: SettingKey, value: string): void {
  const origin = envName(key);
  const kind = kindOf(key);

  if (kind === "list") {
    put(layer, key, splitList(value), origin);
  } else if (kind === "commands") {
    // One variable holds one command, commas and all.
    put(layer, key, [value], origin);
  } else if (kind === "tags") {
    for (const item of splitList(value)) readTag(layer, item, origin);
  } else if (kind === "integer") {
    const n = parseIntegerText(value);
    if (n === undefined) putBroken(layer, key, origin, "an integer", value);
    else put(layer, key, n, origin);
  } else {
    put(layer, key, value, origin);
  }
}

function readTag(layer: Layer, item: string, origin: string): void {
  const tag = splitTag(item);
  if (tag) return putTag(layer, tag[0], tag[1], origin);

  layer.problems.push(
    `Cannot start node as each entry of ${origin} must be KEY=VALUE: current value is ${
      JSON.stringify(item)
    }`,
  );
}
