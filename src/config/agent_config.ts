/**
 * What `rads-node agent` runs with, and its defaults.
 *
 * @module
 */

import { type CoreOptions, defaultCoreOptions } from "../core/options.ts";

/** How much the agent logs, from most to least. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The log levels, from most to least verbose. */
export const LOG_LEVELS: readonly LogLevel[] = [
  "debug",
  "info",
  "warn",
  "error",
];

/** Gossip port used when an address to bind or join has none. */
export const DEFAULT_GOSSIP_PORT = 7946;

/** Control API port used when `control` has none. */
export const DEFAULT_CONTROL_PORT = 7947;

/** Everything the agent needs to start; every field has a default. */
export interface AgentConfig {
  /**
   * Node name, unique in the cluster: 1..128 bytes, no whitespace or
   * control characters.
   * @default {the hostname}
   */
  name: string;
  /**
   * UDP address to listen on, `host:port`; port 0 lets the system pick.
   * @default {"0.0.0.0:7946"}
   */
  bind: string;
  /**
   * Address other members use to reach this node, when it differs from
   * `bind` (NAT, containers); never 0.0.0.0, :: or port 0.
   * @default {undefined}
   */
  advertise?: string;
  /**
   * Seeds to join through, `host:port` each.
   * @default {[]}
   */
  join: string[];
  /**
   * Labels announced with this node (at most 32; key and value up to 255
   * bytes; keys of A-Z a-z 0-9 `_` `.` `-`).
   * @default {{}}
   */
  tags: Record<string, string>;
  /**
   * HTTP control API address; keep it on loopback.
   * @default {"127.0.0.1:7947"}
   */
  control: string;
  /**
   * Lowest level logged.
   * @default {"info"}
   */
  logLevel: LogLevel;
  /** Protocol timings and sizes. */
  core: CoreOptions;
}

/** The defaults, with `hostname` as the node name. */
export function defaultAgentConfig(hostname: string): AgentConfig {
  return {
    name: hostname,
    bind: `0.0.0.0:${DEFAULT_GOSSIP_PORT}`,
    join: [],
    tags: {},
    // Loopback only: the control API has no authentication.
    control: `127.0.0.1:${DEFAULT_CONTROL_PORT}`,
    logLevel: "info",
    core: defaultCoreOptions(),
  };
}
