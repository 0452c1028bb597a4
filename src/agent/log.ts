/**
 * A small levelled logger: short lower-case messages followed by key=value
 * pairs, or one JSON object per line, written to an injected sink.
 *
 * @module
 */

import process from "node:process";

/** Log levels, least to most severe. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * How lines look: `text` is `TIMESTAMP LEVEL msg k=v ...`; `json` is
 * `{"ts": ISO, "level", "msg", ...fields}`.
 */
export type LogFormat = "text" | "json";

/** Values a log line may carry. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Where formatted lines go; stderr by default. */
export type LogSink = (line: string) => void;

/** Writes lines at or above a level. */
export class Logger {
  #min: number;
  #sink: LogSink;
  #clock: () => number;
  #format: (ts: string, level: LogLevel, msg: string, f?: LogFields) => string;

  /** Creates a logger that keeps lines at `level` and above. */
  constructor(
    level: LogLevel,
    sink: LogSink,
    clock: () => number = Date.now,
    format: LogFormat = "text",
  ) {
    this.#min = RANK[level];
    this.#sink = sink;
    this.#clock = clock;
    this.#format = format === "json" ? jsonLine : textLine;
  }

  /** Whether lines at `level` are written; guard costly debug lines. */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.#min;
  }

  /** Per-packet and per-probe detail. */
  debug(msg: string, fields?: LogFields): void {
    this.#write("debug", msg, fields);
  }

  /** Membership changes and lifecycle steps. */
  info(msg: string, fields?: LogFields): void {
    this.#write("info", msg, fields);
  }

  /** Something an operator should act on. */
  warn(msg: string, fields?: LogFields): void {
    this.#write("warn", msg, fields);
  }

  /** The agent cannot go on. */
  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }

  #write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[level] < this.#min) return;
    const ts = new Date(this.#clock()).toISOString();
    this.#sink(this.#format(ts, level, msg, fields));
  }
}

/** `2026-12-04T13:02:14.201Z info  joined cluster via=127.0.0.1:7946`. */
export function textLine(
  ts: string,
  level: LogLevel,
  msg: string,
  fields?: LogFields,
): string {
  return `${ts} ${level.padEnd(5)} ${msg}${formatFields(fields)}`;
}

/**
 * `{"ts":"…","level":"info","msg":"joined cluster","via":"…"}`. A field
 * named ts, level or msg cannot replace those; it gets a leading `_`.
 */
export function jsonLine(
  ts: string,
  level: LogLevel,
  msg: string,
  fields?: LogFields,
): string {
  const out: Record<string, unknown> = { ts, level, msg };
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v === undefined) continue;
    out[Object.hasOwn(out, k) ? `_${k}` : k] = v;
  }
  return JSON.stringify(out);
}

/** Formats `{a: 1, b: "x y"}` as ` a=1 b="x y"`. */
export function formatFields(fields?: LogFields): string {
  if (!fields) return "";
  let out = "";
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const s = String(v);
    out += ` ${k}=${/[\s"=]/.test(s) || s === "" ? JSON.stringify(s) : s}`;
  }
  return out;
}

/** A sink that writes to standard error. */
export function stderrSink(): LogSink {
  return (line) => {
    try {
      process.stderr.write(line + "\n");
    } catch {
      // A closed stderr must not take the agent down.
    }
  };
}
