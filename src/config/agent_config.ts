/**
 * What `rads-node agent` runs with, and its defaults.
 *
 * @module
 */

import { type CoreOptions, defaultCoreOptions } from "../core/options.ts";
import type { ProfileName } from "./profiles.ts";

/** How much the agent logs, from most to least. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The log levels, from most to least verbose. */
export const LOG_LEVELS: readonly LogLevel[] = [
  "debug",
  "info",
  "warn",
  "error",
];

/** How log lines are written: `TIMESTAMP LEVEL msg k=v` or JSON lines. */
export type LogFormat = "text" | "json";

/** The log formats. */
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

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
   * HTTP control API address. On an address other than loopback a control
   * token is required.
   * @default {"127.0.0.1:7947"}
   */
  control: string;
  /**
   * Bearer token every control request but `GET /health` must carry;
   * printable ASCII, no spaces, up to 1024 bytes. After loading it also
   * holds the contents of `controlTokenFile`.
   * @default {undefined}
   */
  controlToken?: string;
  /**
   * File holding the control token (trailing whitespace is trimmed); keeps
   * the token out of the process list and the environment.
   * @default {undefined}
   */
  controlTokenFile?: string;
  /**
   * Lowest level logged.
   * @default {"info"}
   */
  logLevel: LogLevel;
  /**
   * Log line format: `text` (`TIMESTAMP LEVEL msg k=v`) or `json` (one
   * object per line).
   * @default {"text"}
   */
  logFormat: LogFormat;
  /**
   * Base set of protocol timings before individual overrides: `default`,
   * or `lan` (HashiCorp memberlist's LAN values).
   * @default {"default"}
   */
  profile: ProfileName;
  /**
   * Shell commands run (with /bin/sh -c) on every member state change,
   * with the event in RADS_* environment variables.
   * @default {[]}
   */
  onEvent: string[];
  /**
   * An event handler still running after this long is killed, in ms
   * (100..3600000).
   * @default {10000}
   */
  onEventTimeoutMs: number;
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
    // Loopback by default: least privilege, and no token needed there.
    control: `127.0.0.1:${DEFAULT_CONTROL_PORT}`,
    logLevel: "info",
    logFormat: "text",
    profile: "default",
    onEvent: [],
    onEventTimeoutMs: 10_000,
    core: defaultCoreOptions(),
  };
}
