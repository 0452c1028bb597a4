/**
 * Event handlers, as Serf has them: a shell command run on every member
 * state change, with the event in RADS_* environment variables. Handlers
 * never hold the agent up: each runs in its own process group, at most a
 * few at once, with a timeout, and a full queue drops events (counted).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import type { NodeEvent } from "../core/mod.ts";
import type { EventHub } from "./events.ts";
import type { Logger } from "./log.ts";
import type { HookStats } from "./metrics.ts";

/** Options of {@linkcode EventHooks}. */
export interface HookOptions {
  /** Shell commands, each run once per event. */
  commands: string[];
  /** Name of this node, passed as RADS_SELF_NAME. */
  selfName: string;
  log: Logger;
  /**
   * A handler still running after this long is killed, in ms.
   * @default {10000}
   */
  timeoutMs?: number;
  /**
   * Handlers running at once; further runs wait in the queue (1..64).
   * @default {8}
   */
  maxRunning?: number;
  /**
   * Runs that may wait for a slot; past this, events are dropped.
   * @default {256}
   */
  maxQueued?: number;
  /**
   * Environment the handlers inherit, under the event's variables.
   * @default {process.env}
   */
  baseEnv?: Record<string, string | undefined>;
  /**
   * The shell that runs each command with `-c`.
   * @default {"/bin/sh"}
   */
  shell?: string;
}

/** Wait after SIGTERM before SIGKILL, for a handler past its timeout. */
const KILL_GRACE_MS = 2000;
/** Wait after a handler exits for its stderr to close. */
const SETTLE_MS = 200;
/** Most stderr kept per run, for the first line in the log. */
const MAX_STDERR_BYTES = 4096;
/** Least time between two warnings about dropped events. */
const DROP_WARN_EVERY_MS = 10_000;

/** One command to run for one event. */
interface Job {
  command: string;
  env: Record<string, string>;
}

/** How a run ended. */
interface Outcome {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  error?: string;
  stderr: string;
}

/** The member variables a reaped member, now only a name, leaves empty. */
const NO_MEMBER_DETAILS = {
  RADS_MEMBER_ADDR: "",
  RADS_MEMBER_STATE: "",
  RADS_MEMBER_PREVIOUS_STATE: "",
  RADS_MEMBER_INCARNATION: "",
  RADS_MEMBER_BY: "",
  RADS_MEMBER_TAGS: "",
};

/**
 * The RADS_* variables of an event, or undefined for events handlers do
 * not see (joins, refutations, the node stopping).
 */
export function eventEnv(
  e: NodeEvent,
  selfName: string,
): Record<string, string> | undefined {
  if (e.type === "reaped") {
    return {
      ...NO_MEMBER_DETAILS,
      RADS_EVENT: "member-reaped",
      RADS_MEMBER_NAME: e.name,
      RADS_SELF_NAME: selfName,
    };
  }
  if (e.type !== "member") return undefined;

  const m = e.member;
  const tags = Object.entries(m.meta.tags).map(([k, v]) => `${k}=${v}`);
  return {
    RADS_EVENT: `member-${m.state}`,
    RADS_MEMBER_NAME: m.name,
    RADS_MEMBER_ADDR: m.addr,
    RADS_MEMBER_STATE: m.state,
    RADS_MEMBER_PREVIOUS_STATE: e.from ?? "none",
    RADS_MEMBER_INCARNATION: String(m.incarnation),
    RADS_MEMBER_BY: e.by ?? "",
    RADS_MEMBER_TAGS: tags.join(","),
    RADS_SELF_NAME: selfName,
  };
}

/** Runs the configured commands for each member event. */
export class EventHooks {
  #opts: Required<HookOptions>;
  #queue: Job[] = [];
  #running = new Set<ChildProcess>();
  #counts = { succeeded: 0, failed: 0, timedOut: 0, dropped: 0 };
  #lastDropWarnMs = -Infinity;
  #closed = false;
  #idle: (() => void)[] = [];
  #unsubscribe: (() => void) | undefined;

  /** Handlers for `opts.commands`; call attach() to start following. */
  constructor(opts: HookOptions) {
    this.#opts = {
      timeoutMs: 10_000,
      maxRunning: 8,
      maxQueued: 256,
      baseEnv: process.env,
      shell: "/bin/sh",
      ...opts,
    };
  }

  /** Follows `hub` until it closes or close() is called. */
  attach(hub: EventHub): void {
    const sub = hub.subscribe();
    this.#unsubscribe = () => sub.close();
    (async () => {
      for await (const { event } of sub) this.handle(event);
    })();
  }

  /** Queues one run per command for `event`; returns at once. */
  handle(event: NodeEvent): void {
    if (this.#closed || this.#opts.commands.length === 0) return;
    const env = eventEnv(event, this.#opts.selfName);
    if (env === undefined) return;

    for (const command of this.#opts.commands) this.#enqueue({ command, env });
    this.#pump();
  }

  /** Counters and the current load, for metrics. */
  stats(): HookStats {
    return {
      ...this.#counts,
      running: this.#running.size,
      queued: this.#queue.length,
    };
  }

  /**
   * Stops taking events and waits up to `graceMs` for queued and running
   * handlers (so the goodbye of a leave is handled too); then drops the
   * queue and kills what still runs.
   */
  async close(graceMs = 5000): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    if (await this.#waitIdle(graceMs)) return;

    if (this.#queue.length > 0) {
      this.#opts.log.warn("event handlers dropped at shutdown", {
        queued: this.#queue.length,
      });
      this.#counts.dropped += this.#queue.length;
      this.#queue = [];
    }
    for (const child of this.#running) {
      killGroup(child, "SIGKILL", this.#opts.shell);
    }
    await this.#waitIdle(KILL_GRACE_MS);
  }

  #enqueue(job: Job): void {
    if (this.#queue.length < this.#opts.maxQueued) {
      this.#queue.push(job);
      return;
    }

    // A storm of events must not become a storm of warnings.
    this.#counts.dropped += 1;
    const now = Date.now();
    if (now - this.#lastDropWarnMs < DROP_WARN_EVERY_MS) return;
    this.#lastDropWarnMs = now;
    this.#opts.log.warn("event handler queue full; event dropped", {
      event: job.env.RADS_EVENT,
      node: job.env.RADS_MEMBER_NAME,
      dropped_total: this.#counts.dropped,
    });
  }

  #pump(): void {
    while (
      this.#queue.length > 0 && this.#running.size < this.#opts.maxRunning
    ) {
      this.#start(this.#queue.shift()!);
    }
    if (this.#running.size === 0 && this.#queue.length === 0) {
      for (const wake of this.#idle.splice(0)) wake();
    }
  }

  #start(job: Job): void {
    const started = Date.now();
    let child: ChildProcess;
    try {
      // Its own process group, so a timeout kills what the shell started.
      child = spawn(this.#opts.shell, ["-c", job.command], {
        detached: true,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...this.#opts.baseEnv, ...job.env },
      });
    } catch (err) {
      const error = describeSpawnError(err);
      const outcome = {
        code: null,
        signal: null,
        timedOut: false,
        error,
        stderr: "",
      };
      return this.#report(job, outcome, started);
    }

    this.#running.add(child);
    this.#watch(child, (outcome) => {
      this.#running.delete(child);
      this.#report(job, outcome, started);
      this.#pump();
    });
  }

  /** Calls `done` once, when the run has ended one way or another. */
  #watch(child: ChildProcess, done: (o: Outcome) => void): void {
    const o: Outcome = {
      code: null,
      signal: null,
      timedOut: false,
      stderr: "",
    };
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      o.timedOut = true;
      killGroup(child, "SIGTERM", this.#opts.shell);
      killTimer = setTimeout(
        () => killGroup(child, "SIGKILL", this.#opts.shell),
        KILL_GRACE_MS,
      );
    }, this.#opts.timeoutMs);

    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      child.stderr?.destroy();
      done(o);
    };

    child.stderr?.on("data", (chunk: Uint8Array) => {
      if (o.stderr.length < MAX_STDERR_BYTES) o.stderr += String(chunk);
    });
    child.on("error", (err) => {
      o.error = describeSpawnError(err);
      finish();
    });
    child.on("exit", (code, signal) => {
      o.code = code;
      o.signal = signal;
      // A background process may keep stderr open; do not wait for it.
      setTimeout(finish, SETTLE_MS);
    });
    child.on("close", finish);
  }

  #report(job: Job, o: Outcome, startedMs: number): void {
    const fields = {
      event: job.env.RADS_EVENT,
      node: job.env.RADS_MEMBER_NAME,
      command: clip(job.command, 80),
      ms: Date.now() - startedMs,
    };
    const stderr = firstLine(o.stderr);
    if (o.timedOut) {
      this.#counts.timedOut += 1;
      this.#opts.log.warn("event handler timed out and was killed", {
        ...fields,
        timeout_ms: this.#opts.timeoutMs,
        stderr,
      });
    } else if (o.error !== undefined || o.code !== 0) {
      this.#counts.failed += 1;
      this.#opts.log.warn("event handler failed", {
        ...fields,
        code: o.code ?? undefined,
        signal: o.signal ?? undefined,
        error: o.error,
        stderr,
      });
    } else {
      this.#counts.succeeded += 1;
      this.#opts.log.debug("event handler finished", fields);
    }
  }

  /** Resolves true once nothing runs or waits, false after `ms`. */
  #waitIdle(ms: number): Promise<boolean> {
    if (this.#running.size === 0 && this.#queue.length === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#idle = this.#idle.filter((w) => w !== wake);
        resolve(false);
      }, ms);
      this.#idle.push(wake);
    });
  }
}

/**
 * Signals the handler's whole process group. Deno allowed to run only
 * /bin/sh may not signal a group itself, so the shell is asked to.
 */
function killGroup(
  child: ChildProcess,
  signal: "SIGTERM" | "SIGKILL",
  shell: string,
): void {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
    return;
  } catch (err) {
    // The group is gone already: nothing left to kill.
    if ((err as { code?: string }).code === "ESRCH") return;
  }

  try {
    const name = signal.slice(3);
    spawn(shell, ["-c", `kill -${name} -${pid}`], { stdio: "ignore" })
      .on("error", () => {});
  } catch {
    // Fall back to the shell alone; its children may outlive it.
  }
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

function describeSpawnError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  const msg = (e?.message ?? String(err)).split("\n")[0];
  // Deno without --allow-run names the error, with a long hint of its own.
  if (e?.name === "NotCapable") {
    return "not allowed to run the shell (Deno needs --allow-run=/bin/sh)";
  }
  return e?.code && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg;
}

function firstLine(text: string): string | undefined {
  const line = text.split("\n").find((l) => l.trim() !== "");
  return line === undefined ? undefined : clip(line.trim(), 200);
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
