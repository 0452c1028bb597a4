/**
 * Checks of a whole configuration, reporting every problem at once.
 *
 * @module
 */

import type { CoreOptions } from "../core/options.ts";
import { isLoopbackHost, isUnspecifiedHost, parseHostPort } from "./addr.ts";
import {
  type AgentConfig,
  DEFAULT_CONTROL_PORT,
  DEFAULT_GOSSIP_PORT,
  LOG_FORMATS,
  LOG_LEVELS,
} from "./agent_config.ts";
import { PROFILES } from "./profiles.ts";
import { describeValue } from "./_settings.ts";

/** Options for {@linkcode validateAgentConfig}. */
export interface ValidateOptions {
  /**
   * Where a field's value came from (`--bind`, `RADS_BIND`, ...), added to
   * its messages. Fields are named as in AgentConfig and CoreOptions; a tag
   * as `tags.KEY`.
   */
  originOf?: (field: string) => string | undefined;
  /** Fields already reported as unusable: checks that read them are skipped. */
  skip?: ReadonlySet<string>;
}

/** Allowed values of one integer option; `orZero` also allows 0. */
interface Range {
  min: number;
  max?: number;
  orZero?: boolean;
}

// The ranges documented on CoreOptions; the pairs are checked below.
const CORE_RANGES: Record<keyof CoreOptions, Range> = {
  probeIntervalMs: { min: 50, max: 60_000 },
  probeTimeoutMs: { min: 1 },
  indirectChecks: { min: 0, max: 16 },
  gossipIntervalMs: { min: 10, max: 60_000 },
  gossipFanout: { min: 1, max: 16 },
  suspicionMult: { min: 1 },
  suspicionMaxMult: { min: 1 },
  retransmitMult: { min: 1, max: 20 },
  pushPullIntervalMs: { min: 1000, orZero: true },
  reapAfterMs: { min: 0 },
  maxPacketBytes: { min: 512, max: 8192 },
  joinRetryMinMs: { min: 10 },
  joinRetryMaxMs: { min: 0 },
  leavePropagateMs: { min: 0, max: 60_000 },
};

// Agent settings that are integers, with their ranges.
const ON_EVENT_TIMEOUT_RANGE: Range = { min: 100, max: 3_600_000 };

const MAX_NAME_BYTES = 128;
const MAX_TOKEN_BYTES = 1024;
const MAX_TAGS = 32;
const MAX_TAG_BYTES = 255;

/** Every problem with `config`, one line each; empty when it is usable. */
export function validateAgentConfig(
  config: AgentConfig,
  options: ValidateOptions = {},
): string[] {
  const v = new Validator(options);
  v.name(config.name);
  const bindPort = v.address("bind", config.bind, DEFAULT_GOSSIP_PORT, true);
  v.address("control", config.control, DEFAULT_CONTROL_PORT, true);
  v.controlToken(config);
  v.advertise(config.advertise, bindPort);
  v.join(config.join);
  v.tags(config.tags);
  v.oneOf("logLevel", config.logLevel, LOG_LEVELS);
  v.oneOf("logFormat", config.logFormat, LOG_FORMATS);
  v.oneOf("profile", config.profile, PROFILES);
  v.onEvent(config.onEvent, config.onEventTimeoutMs);
  v.core(config.core);
  return v.problems;
}

/** Every problem with `core`, one line each; empty when it is usable. */
export function validateCoreOptions(
  core: CoreOptions,
  options: ValidateOptions = {},
): string[] {
  const v = new Validator(options);
  v.core(core);
  return v.problems;
}

/** Collects problems; each method checks one field or one pair. */
class Validator {
  readonly problems: string[] = [];
  #originOf: (field: string) => string | undefined;
  #skip: ReadonlySet<string>;

  constructor(options: ValidateOptions) {
    this.#originOf = options.originOf ?? (() => undefined);
    this.#skip = options.skip ?? new Set();
  }

  name(name: unknown): void {
    if (this.#skip.has("name")) return;
    if (typeof name !== "string") {
      return this.#fail(["name"], "must be a string", name);
    }

    const bytes = new TextEncoder().encode(name).length;
    if (bytes < 1 || bytes > MAX_NAME_BYTES) {
      this.#fail(["name"], `must be 1 to ${MAX_NAME_BYTES} bytes long`, name);
    } else if (/[\s\p{Cc}]/u.test(name)) {
      const rule = "must not contain whitespace or control characters";
      this.#fail(["name"], rule, name);
    }
  }

  /** The port of a usable address, else undefined. */
  address(
    field: "bind" | "control",
    addr: unknown,
    defaultPort: number,
    allowZero: boolean,
  ): number | undefined {
    if (this.#skip.has(field)) return undefined;
    if (typeof addr !== "string") {
      this.#fail([field], "must be a string", addr);
      return undefined;
    }

    try {
      return parseHostPort(addr, defaultPort, { allowZero }).port;
    } catch (err) {
      this.#report([field], `${field} ${(err as Error).message}`);
      return undefined;
    }
  }

  advertise(addr: unknown, bindPort: number | undefined): void {
    if (addr === undefined || this.#skip.has("advertise")) return;
    if (typeof addr !== "string") {
      return this.#fail(["advertise"], "must be a string", addr);
    }

    // Without a port, others reach us on the port we bind. When bind is
    // wrong (reported already), any port will do for this check.
    const defaultPort = bindPort === undefined
      ? DEFAULT_GOSSIP_PORT
      : bindPort || undefined;
    try {
      const { host } = parseHostPort(addr, defaultPort);
      if (isUnspecifiedHost(host)) {
        const rule = "must be an address others can reach (not 0.0.0.0 or ::)";
        this.#fail(["advertise"], rule, addr);
      }
    } catch (err) {
      this.#report(["advertise"], `advertise ${(err as Error).message}`);
    }
  }

  join(join: unknown): void {
    if (this.#skip.has("join")) return;
    if (!Array.isArray(join)) {
      return this.#fail(["join"], "must be a list of addresses", join);
    }

    for (const addr of join) {
      try {
        parseHostPort(String(addr), DEFAULT_GOSSIP_PORT);
      } catch (err) {
        this.#report(["join"], `join ${(err as Error).message}`);
      }
    }
  }

  tags(tags: Record<string, unknown>): void {
    if (this.#skip.has("tags")) return;
    const entries = Object.entries(tags ?? {});
    if (entries.length > MAX_TAGS) {
      const rule = `must have at most ${MAX_TAGS} entries`;
      this.#fail(["tags"], rule, entries.length);
    }
    for (const [key, value] of entries) this.#tag(key, value);
  }

  #tag(key: string, value: unknown): void {
    const fields = [`tags.${key}`];
    const bytes = (s: string) => new TextEncoder().encode(s).length;
    if (key === "") {
      this.#report(fields, "tag keys must not be empty");
    } else if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      const rule = "must use only A-Z, a-z, 0-9, _, . and -";
      this.#fail(fields, `tag keys ${rule}`, key, "");
    } else if (bytes(key) > MAX_TAG_BYTES) {
      const rule = `must be at most ${MAX_TAG_BYTES} bytes long`;
      this.#fail(fields, `tag keys ${rule}`, key, "");
    }

    if (typeof value !== "string") {
      this.#fail(fields, `tag ${key} must be a string`, value, "");
    } else if (bytes(value) > MAX_TAG_BYTES) {
      const rule = `must be at most ${MAX_TAG_BYTES} bytes long`;
      this.#report(fields, `tag ${key} value ${rule}: it has ${bytes(value)}`);
    }
    // deno-lint-ignore no-control-regex
    if (typeof value === "string" && /[\x00-\x1f\x7f]/.test(value)) {
      this.#report(
        fields,
        `tag ${key} value must not contain control characters`,
      );
    }
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): void {
    if (this.#skip.has(field)) return;
    if (!allowed.includes(value as never)) {
      const rule = `must be one of ${allowed.join(", ")}`;
      this.#fail([field], rule, value);
    }
  }

  /** The token goes into an HTTP header: visible ASCII only. */
  controlToken(config: AgentConfig): void {
    const token = config.controlToken;
    if (token !== undefined && !this.#skip.has("controlToken")) {
      const bytes = new TextEncoder().encode(token).length;
      if (!/^[\x21-\x7e]+$/.test(token) || bytes > MAX_TOKEN_BYTES) {
        const rule = `control_token must be 1 to ${MAX_TOKEN_BYTES} ` +
          "printable ASCII characters without spaces (value not shown)";
        this.#report(["controlToken"], rule);
      }
    }

    // Off loopback, anyone who reaches the port could make the node leave.
    const hasToken = token !== undefined ||
      config.controlTokenFile !== undefined;
    const host = this.#controlHost(config.control);
    if (!hasToken && host !== undefined && !isLoopbackHost(host)) {
      const rule = "on an address other than loopback needs a control " +
        "token (--control-token-file or --control-token)";
      this.#fail(["control"], rule, config.control);
    }
  }

  /** The host of a usable control address; address() reports the rest. */
  #controlHost(control: unknown): string | undefined {
    if (this.#skip.has("control") || typeof control !== "string") return;
    try {
      const opts = { allowZero: true };
      return parseHostPort(control, DEFAULT_CONTROL_PORT, opts).host;
    } catch {
      return undefined;
    }
  }

  onEvent(commands: unknown, timeoutMs: unknown): void {
    if (!this.#skip.has("onEvent")) {
      const list = Array.isArray(commands) ? commands : [commands];
      if (list.some((c) => typeof c !== "string" || c.trim() === "")) {
        this.#report(["onEvent"], "onEvent commands must not be empty");
      }
    }
    if (!this.#skip.has("onEventTimeoutMs")) {
      this.#inRange("onEventTimeoutMs", timeoutMs, ON_EVENT_TIMEOUT_RANGE);
    }
  }

  core(core: CoreOptions): void {
    const ok = new Set<string>();
    for (const [field, range] of Object.entries(CORE_RANGES)) {
      const value = core[field as keyof CoreOptions];
      if (this.#skip.has(field)) continue;
      if (this.#inRange(field, value, range)) ok.add(field);
    }

    // Pairs are checked only when both values are usable on their own.
    const pair = (a: keyof CoreOptions, b: keyof CoreOptions) =>
      ok.has(a) && ok.has(b);
    if (
      pair("probeTimeoutMs", "probeIntervalMs") &&
      core.probeTimeoutMs >= core.probeIntervalMs
    ) {
      this.#failPair(
        "probeTimeoutMs",
        "must be below",
        "probeIntervalMs",
        core,
      );
    }
    if (
      pair("joinRetryMaxMs", "joinRetryMinMs") &&
      core.joinRetryMaxMs < core.joinRetryMinMs
    ) {
      this.#failPair(
        "joinRetryMaxMs",
        "must be at least",
        "joinRetryMinMs",
        core,
      );
    }
  }

  #inRange(field: string, value: unknown, range: Range): boolean {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      this.#fail([field], "must be an integer", value);
      return false;
    }
    if (range.orZero && value === 0) return true;
    if (value >= range.min && value <= (range.max ?? Infinity)) return true;

    this.#fail([field], describeRange(range), value);
    return false;
  }

  #failPair(
    a: keyof CoreOptions,
    relation: string,
    b: keyof CoreOptions,
    core: CoreOptions,
  ): void {
    this.#report(
      [a, b],
      `${settingName(a)} ${relation} ${settingName(b)}: current values are ${
        core[a]
      } and ${core[b]}`,
    );
  }

  /** `field rule: current value is value`, or with `subject` for field. */
  #fail(
    fields: string[],
    rule: string,
    value: unknown,
    subject = fields[0],
  ): void {
    const text = subject === "" ? rule : `${settingName(subject)} ${rule}`;
    this.#report(fields, `${text}: current value is ${describeValue(value)}`);
  }

  #report(fields: string[], text: string): void {
    const origins = [...new Set(fields.map((f) => this.#originOf(f)))];
    const known = origins.filter((o) => o !== undefined);
    const from = known.length > 0 ? ` (from ${known.join(" and ")})` : "";
    this.problems.push(`Cannot start node as ${text}${from}`);
  }
}

/** A setting as the README and YAML files name it: probeIntervalMs -> probe_interval_ms. */
function settingName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function describeRange(range: Range): string {
  if (range.orZero) return `must be 0 or at least ${range.min}`;
  if (range.max !== undefined) {
    return `must be between ${range.min} and ${range.max}`;
  }
  return range.min === 0
    ? "must not be negative"
    : `must be at least ${range.min}`;
}
