/**
 * Loads the agent's configuration from flags, environment, a YAML file and
 * the defaults, in that order of precedence.
 *
 * @module
 */

import type { CoreOptions } from "../core/options.ts";
import { formatHostPort, parseHostPort } from "./addr.ts";
import {
  type AgentConfig,
  DEFAULT_CONTROL_PORT,
  DEFAULT_GOSSIP_PORT,
  defaultAgentConfig,
  type LogFormat,
  type LogLevel,
} from "./agent_config.ts";
import { ConfigError } from "./errors.ts";
import { profileCoreOptions, type ProfileName } from "./profiles.ts";
import { validateAgentConfig } from "./validate.ts";
import { readEnv } from "./_env.ts";
import { readFlags } from "./_flags.ts";
import {
  CORE_KEYS,
  emptyLayer,
  type Layer,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
} from "./_settings.ts";
import { describeReadError, readYamlFile } from "./_yaml.ts";

/** What {@linkcode loadAgentConfig} reads from. */
export interface LoadAgentConfigInput {
  /** The arguments after `rads-node agent`. */
  argv: string[];
  /** Environment variables; only `RADS_*` ones are read. */
  env: Record<string, string | undefined>;
  /** Reads the config file; throws when it cannot. */
  readTextFile: (path: string) => string;
  /** This machine's hostname, the default node name. */
  hostname: string;
}

/**
 * Either a request for help, or a configuration the agent can start with
 * and warnings for it to log (unknown RADS_* variables).
 */
export type LoadAgentConfigResult =
  | { help: true }
  | { help: false; config: AgentConfig; warnings: string[] };

/**
 * Builds the agent's configuration. Per setting, flags win over RADS_*
 * variables, which win over the YAML file (--config, else RADS_CONFIG),
 * which wins over the defaults; tags merge, the higher source winning per
 * tag key. The profile picks the defaults of the core timings. Addresses
 * come back with their ports filled in, and controlToken holds the
 * contents of controlTokenFile when that is set.
 *
 * Throws a ConfigError listing every problem found, one per line.
 */
export function loadAgentConfig(
  input: LoadAgentConfigInput,
): LoadAgentConfigResult {
  const flags = readFlags(input.argv);
  if (flags.help) return { help: true };

  const env = readEnv(input.env);
  const configPath = flags.configPath ?? env.configPath;
  const file = configPath === undefined
    ? emptyLayer()
    : readYamlFile(configPath, input.readTextFile);

  // Lowest precedence first: later layers overwrite earlier ones. The
  // profile is the base the individual timings override.
  const layers = [file, env.layer, flags.layer];
  const profile = pickProfile(layers);
  const defaults = defaultSettings(input.hostname, profile);
  const merged = mergeLayers(defaults, layers);
  const config = toAgentConfig(merged.values);

  const problems = [
    ...[flags.layer, env.layer, file].flatMap((l) => l.problems),
    ...readTokenFile(config, merged, input.readTextFile),
    ...validateAgentConfig(config, {
      originOf: (field) =>
        merged.origins[field] ?? defaultOrigin(field, profile),
      skip: merged.broken,
    }),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return { help: false, config: withPorts(config), warnings: env.warnings };
}

function defaultSettings(hostname: string, profile: string): Settings {
  const { core: _, ...agent } = defaultAgentConfig(hostname);
  return { ...agent, ...profileCoreOptions(profile) };
}

/** The profile named by the highest source; an unknown one is reported. */
function pickProfile(layers: Layer[]): string {
  for (const layer of [...layers].reverse()) {
    if (typeof layer.values.profile === "string") return layer.values.profile;
  }
  return "default";
}

function defaultOrigin(field: string, profile: string): string {
  if (field === "name") return "the hostname";
  const core = (CORE_KEYS as string[]).includes(field);
  return core && profile !== "default"
    ? `the ${profile} profile`
    : "the default";
}

/**
 * Puts the contents of controlTokenFile into controlToken, trailing
 * whitespace trimmed (editors add a newline); returns the problems.
 */
function readTokenFile(
  config: AgentConfig,
  merged: Layer,
  read: (path: string) => string,
): string[] {
  const path = config.controlTokenFile;
  if (path === undefined) return [];
  const from = merged.origins.controlTokenFile;
  if (config.controlToken !== undefined) {
    const origins = `${merged.origins.controlToken} and ${from}`;
    return [
      `Cannot start node as controlToken and controlTokenFile are both set: keep one (from ${origins})`,
    ];
  }

  try {
    config.controlToken = read(path).replace(/\s+$/, "");
  } catch (err) {
    const why = describeReadError(err);
    return [`cannot read control token file ${path} (from ${from}): ${why}`];
  }
  merged.origins.controlToken = `control token file ${path}`;
  return [];
}

/** Layers stacked on the defaults, and where each value came from. */
function mergeLayers(defaults: Settings, layers: Layer[]): Layer {
  const merged: Layer = { ...emptyLayer(), values: { ...defaults } };
  for (const layer of layers) {
    for (const key of SETTING_KEYS) {
      const value = layer.values[key];
      if (value === undefined) continue;
      if (key === "tags") {
        merged.values.tags = { ...merged.values.tags, ...layer.values.tags };
      } else {
        (merged.values as Record<SettingKey, unknown>)[key] = value;
      }
    }
    Object.assign(merged.origins, layer.origins);
    layer.broken.forEach((key) => merged.broken.add(key));
  }
  return merged;
}

function toAgentConfig(values: Partial<Settings>): AgentConfig {
  const s = values as Settings;
  const core = Object.fromEntries(CORE_KEYS.map((k) => [k, s[k]]));
  const config: AgentConfig = {
    name: s.name,
    bind: s.bind,
    join: s.join,
    tags: s.tags,
    control: s.control,
    logLevel: s.logLevel as LogLevel,
    logFormat: s.logFormat as LogFormat,
    profile: s.profile as ProfileName,
    onEvent: s.onEvent,
    onEventTimeoutMs: s.onEventTimeoutMs,
    core: core as unknown as CoreOptions,
  };
  if (s.advertise !== undefined) config.advertise = s.advertise;
  if (s.controlToken !== undefined) config.controlToken = s.controlToken;
  if (s.controlTokenFile !== undefined) {
    config.controlTokenFile = s.controlTokenFile;
  }
  return config;
}

/**
 * Fills in default ports so that later code can parse every address with
 * no default: bind and join 7946, control 7947, advertise the bind port.
 */
function withPorts(config: AgentConfig): AgentConfig {
  const bind = parseHostPort(config.bind, DEFAULT_GOSSIP_PORT, {
    allowZero: true,
  });
  const control = parseHostPort(config.control, DEFAULT_CONTROL_PORT, {
    allowZero: true,
  });
  const out: AgentConfig = {
    ...config,
    bind: formatHostPort(bind.host, bind.port),
    control: formatHostPort(control.host, control.port),
    join: config.join.map((a) => normalize(a, DEFAULT_GOSSIP_PORT)),
  };
  if (config.advertise !== undefined) {
    out.advertise = normalize(config.advertise, bind.port);
  }
  return out;
}

function normalize(addr: string, defaultPort: number): string {
  const { host, port } = parseHostPort(addr, defaultPort);
  return formatHostPort(host, port);
}
