/**
 * Configuration of `rads-node agent`: addresses, the AgentConfig and its
 * defaults, loading from flags, environment and a YAML file, validation
 * and help.
 *
 * ```ts
 * const loaded = loadAgentConfig({ argv, env, readTextFile, hostname });
 * if (!loaded.help) console.log(loaded.config.bind);
 * ```
 *
 * @module
 */

export {
  formatHostPort,
  type HostPort,
  type HostPortOptions,
  isLoopbackHost,
  isUnspecifiedHost,
  parseHostPort,
} from "./addr.ts";
export {
  type AgentConfig,
  DEFAULT_CONTROL_PORT,
  DEFAULT_GOSSIP_PORT,
  defaultAgentConfig,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
} from "./agent_config.ts";
export { ConfigError } from "./errors.ts";
export {
  loadAgentConfig,
  type LoadAgentConfigInput,
  type LoadAgentConfigResult,
} from "./load.ts";
export { profileCoreOptions, type ProfileName, PROFILES } from "./profiles.ts";
export { agentUsage } from "./usage.ts";
export {
  validateAgentConfig,
  validateCoreOptions,
  type ValidateOptions,
} from "./validate.ts";
