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
  type LogLevel,
} from "./agent_config.ts";
import { ConfigError } from "./errors.ts";
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
import { readYamlFile } from "./_yaml.ts";

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
 * tag key. Addresses come back with their ports filled in.
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

  // Lowest precedence first: later layers overwrite earlier ones.
  const layers = [file, env.layer, flags.layer];
  const merged = mergeLayers(defaultSettings(input.hostname), layers);
  const config = toAgentConfig(merged.values);

  const problems = [
    ...[flags.layer, env.layer, file].flatMap((l) => l.problems),
    ...validateAgentConfig(config, {
      originOf: (field) => merged.origins[field] ?? defaultOrigin(field),
      skip: merged.broken,
    }),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return { help: false, config: withPorts(config), warnings: env.warnings };
}

function defaultSettings(hostname: string): Settings {
  const { core, ...agent } = defaultAgentConfig(hostname);
  return { ...agent, ...core };
}

function defaultOrigin(field: string): string {
  return field === "name" ? "the hostname" : "the default";
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
    core: core as unknown as CoreOptions,
  };
  if (s.advertise !== undefined) config.advertise = s.advertise;
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
