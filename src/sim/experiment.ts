/**
 * The measurements behind `deno task sim`: on a formed cluster, how fast a
 * join spreads, how fast a crash is detected, how many live members are
 * wrongly declared dead, and what idling costs per node.
 *
 * @module
 */

import {
  type CoreOptions,
  defaultCoreOptions,
  lanProfile,
  type MemberState,
  scaledTimings,
} from "../core/mod.ts";
import { SimCluster } from "./cluster.ts";
import {
  FalseAlarmCounter,
  SubjectTracker,
  timeToFraction,
} from "./tracker.ts";

/** Which protocol settings a run uses. */
export type Profile = "default" | "lan";

/** One measured run: N nodes at one loss rate. */
export interface RunSpec {
  nodes: number;
  loss: number;
  profile: Profile;
  seed: number;
  /** Whether push-pull runs; see the README of the report for why not. */
  pushPull: boolean;
  /** Gives up, reporting what was measured, after this many wall ms. */
  maxWallMs?: number;
}

/** Fractions of observers at which times are reported, with their keys. */
export const QUANTILES: readonly [string, number][] = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["p99", 0.99],
  ["p99.99", 0.9999],
  ["all", 1],
];

/** Times (ms) until each quantile of observers got there; null: never. */
export type Quantiles = Record<string, number | null>;

/** A curve of fraction of observers against ms since the event. */
export interface Curve {
  tMs: number[];
  fraction: number[];
}

/** Everything one run measured. */
export interface RunResult {
  spec: RunSpec;
  options: CoreOptions;
  net: { loss: number; delayMs: number; jitterMs: number };
  /** Null for phases the wall-clock budget did not reach. */
  idle: {
    packetsPerNodePerS: number;
    bytesPerNodePerS: number;
    /** Virtual seconds per wall-clock second while idle. */
    simSecondsPerWallSecond: number;
  } | null;
  join: {
    /** Fraction of the other nodes that hold the new node alive. */
    curve: Curve;
    /** From the start of the new node. */
    timesMs: Quantiles;
    /** From the moment the seed it joined through learned of it. */
    fromSeedMs: Quantiles;
  } | null;
  crash: {
    suspectCurve: Curve;
    deadCurve: Curve;
    /** Suspect or dead, from the crash. */
    suspectMs: Quantiles;
    deadMs: Quantiles;
    /** Node that was crashed. */
    victim: string;
  } | null;
  /** Why the run stopped early, if it did. */
  incomplete?: string;
  falseAlarms: {
    deadEvents: number;
    deadMembers: number;
    suspectEvents: number;
    suspectMembers: number;
  };
  virtualSeconds: number;
  wallSeconds: { form: number; total: number };
}

const NET = { delayMs: 1, jitterMs: 1 };
const WARMUP_MS = 10_000;
const IDLE_MS = 10_000;
const JOIN_LIMIT_MS = 60_000;
const JOIN_SAMPLE_MS = 50;
const CRASH_SAMPLE_MS = 100;
/** Quiet time after each event before the next, in ms. */
const SETTLE_MS = 3000;
/** How often a progress line is printed, in wall-clock ms. */
const PROGRESS_EVERY_MS = 5000;

/** The protocol options of a profile. */
export function profileOptions(profile: Profile): CoreOptions {
  return profile === "lan" ? lanProfile() : defaultCoreOptions();
}

/** The run spent its wall-clock or memory budget. */
class OutOfTime extends Error {}

/** How a run reports progress and learns that it must stop. */
export interface RunHooks {
  /** Receives progress lines. */
  log?: (line: string) => void;
  /** Says why the run must stop now (say, memory), or undefined. */
  overBudget?: () => string | undefined;
}

/** Runs one measurement. */
export function runExperiment(spec: RunSpec, hooks: RunHooks = {}): RunResult {
  const log = hooks.log ?? (() => {});
  const t0 = performance.now();
  const deadline = t0 + (spec.maxWallMs ?? Infinity);
  const overBudget = () => {
    if (performance.now() > deadline) {
      const min = ((spec.maxWallMs ?? 0) / 60_000).toFixed(0);
      return `wall-clock budget of ${min} min spent`;
    }
    return hooks.overBudget?.();
  };
  const run = new Run(spec, log, overBudget);
  const formWall = (performance.now() - t0) / 1000;
  const result: RunResult = {
    spec,
    options: run.options,
    net: { loss: spec.loss, ...NET },
    idle: null,
    join: null,
    crash: null,
    falseAlarms: run.falseAlarms(),
    virtualSeconds: 0,
    wallSeconds: { form: formWall, total: 0 },
  };

  try {
    run.advance(WARMUP_MS, "warm-up");
    result.idle = run.measureIdle();
    result.join = run.measureJoin();
    run.advance(SETTLE_MS, "settle");
    result.crash = run.measureCrash();
    run.advance(SETTLE_MS, "settle");
  } catch (e) {
    if (!(e instanceof OutOfTime)) throw e;
    result.incomplete = e.message;
    log(`[${spec.profile} N=${spec.nodes} loss=${spec.loss}] ${e.message}`);
  }

  result.falseAlarms = run.falseAlarms();
  result.virtualSeconds = run.sim.nowMs / 1000;
  result.wallSeconds.total = (performance.now() - t0) / 1000;
  return result;
}

/** A formed cluster under measurement. */
class Run {
  readonly sim: SimCluster;
  readonly options: CoreOptions;
  readonly names: string[];
  #spec: RunSpec;
  #log: (line: string) => void;
  #crashed = new Set<string>();
  #alarms = new FalseAlarmCounter((n) => this.#crashed.has(n));
  #trackers: SubjectTracker[] = [];
  #lastLogWall = performance.now();
  #startWall = performance.now();
  #overBudget: () => string | undefined;

  constructor(
    spec: RunSpec,
    log: (line: string) => void,
    overBudget: () => string | undefined,
  ) {
    this.#spec = spec;
    this.#log = log;
    this.#overBudget = overBudget;
    this.options = {
      ...profileOptions(spec.profile),
      ...(spec.pushPull ? {} : { pushPullIntervalMs: 0 }),
    };
    this.sim = new SimCluster(spec.seed, this.options, {
      loss: spec.loss,
      ...NET,
    });
    this.sim.onEvent = (observer, e) => {
      this.#alarms.onEvent(observer, e);
      for (const t of this.#trackers) t.onEvent(observer, e);
    };
    this.names = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
    this.sim.startFormed(this.names);
    this.#progress("formed", true);
  }

  /** Runs the clock `ms` ahead in steps, printing progress on the way. */
  advance(ms: number, phase: string, stepMs = 100): void {
    const end = this.sim.nowMs + ms;
    while (this.sim.nowMs < end) {
      this.sim.runUntil(Math.min(end, this.sim.nowMs + stepMs));
      this.#progress(phase);
    }
  }

  measureIdle(): RunResult["idle"] {
    const before = { ...this.sim.sent };
    const wall = performance.now();
    this.advance(IDLE_MS, "idle");
    const wallS = (performance.now() - wall) / 1000;
    const perNode = this.#spec.nodes * (IDLE_MS / 1000);
    return {
      packetsPerNodePerS: (this.sim.sent.packets - before.packets) / perNode,
      bytesPerNodePerS: (this.sim.sent.bytes - before.bytes) / perNode,
      simSecondsPerWallSecond: IDLE_MS / 1000 / wallS,
    };
  }

  measureJoin(): RunResult["join"] {
    const joiner = "j1";
    const tracker = this.#track(new SubjectTracker(joiner));
    const startMs = this.sim.nowMs;
    this.sim.start(joiner, [this.names[0]]);

    const curve = this.#sample(startMs, JOIN_LIMIT_MS, JOIN_SAMPLE_MS, () => {
      const f = tracker.count("alive") / this.names.length;
      return { fractions: [f], done: f >= 1, status: `alive=${pct(f)}` };
    }, "join");

    const seedMs = tracker.firstAlive.get(this.names[0]) ?? startMs;
    return {
      curve: { tMs: curve.tMs, fraction: curve.series[0] },
      timesMs: quantiles(tracker.firstAlive, this.names, startMs),
      fromSeedMs: quantiles(tracker.firstAlive, this.names, seedMs),
    };
  }

  measureCrash(): RunResult["crash"] {
    // Any node but the first, which stays the seed.
    const i = 1 + Math.floor(this.sim.random() * (this.names.length - 1));
    const victim = this.names[i];
    const observers = this.sim.running().filter((n) => n !== victim);
    const initial = new Map<string, MemberState>();
    for (const o of observers) {
      const state = this.sim.stateOf(o, victim);
      if (state !== undefined) initial.set(o, state);
    }

    const startMs = this.sim.nowMs;
    const tracker = this.#track(new SubjectTracker(victim, initial, startMs));
    this.#crashed.add(victim);
    this.sim.crash(victim);

    const limit = scaledTimings(this.options, observers.length + 1)
      .suspicionMaxMs + 60_000;
    const curve = this.#sample(startMs, limit, CRASH_SAMPLE_MS, () => {
      const down = (tracker.count("suspect") + tracker.count("dead")) /
        observers.length;
      const dead = tracker.count("dead") / observers.length;
      return {
        fractions: [down, dead],
        done: dead >= 1,
        status: `suspect|dead=${pct(down)} dead=${pct(dead)}`,
      };
    }, "crash");

    return {
      suspectCurve: { tMs: curve.tMs, fraction: curve.series[0] },
      deadCurve: { tMs: curve.tMs, fraction: curve.series[1] },
      suspectMs: quantiles(tracker.firstDown, observers, startMs),
      deadMs: quantiles(tracker.firstDead, observers, startMs),
      victim,
    };
  }

  falseAlarms(): RunResult["falseAlarms"] {
    const a = this.#alarms;
    return {
      deadEvents: a.deadEvents,
      deadMembers: a.deadSubjects.size,
      suspectEvents: a.suspectEvents,
      suspectMembers: a.suspectSubjects.size,
    };
  }

  #track(t: SubjectTracker): SubjectTracker {
    this.#trackers.push(t);
    return t;
  }

  /** Samples `look` every `everyMs` until it is done or `limitMs` passed. */
  #sample(
    startMs: number,
    limitMs: number,
    everyMs: number,
    look: () => { fractions: number[]; done: boolean; status: string },
    phase: string,
  ): { tMs: number[]; series: number[][] } {
    const tMs: number[] = [];
    const series: number[][] = [];
    for (let t = 0; t <= limitMs; t += everyMs) {
      this.sim.runUntil(startMs + t);
      const now = look();
      tMs.push(t);
      now.fractions.forEach((f, k) => (series[k] ??= []).push(f));
      this.#progress(`${phase} ${now.status}`);
      if (now.done) break;
    }
    return { tMs, series };
  }

  #progress(phase: string, force = false): void {
    const wall = performance.now();
    if (!force && wall - this.#lastLogWall < PROGRESS_EVERY_MS) return;
    const over = this.#overBudget();
    if (over !== undefined) {
      const t = (this.sim.nowMs / 1000).toFixed(1);
      throw new OutOfTime(`${over}; stopped in ${phase} at t=${t}s`);
    }
    this.#lastLogWall = wall;
    const s = this.#spec;
    const elapsed = (wall - this.#startWall) / 1000;
    this.#log(
      `[${s.profile} N=${s.nodes} loss=${s.loss}] t=${
        (this.sim.nowMs / 1000).toFixed(1)
      }s ${phase} wall=${elapsed.toFixed(0)}s`,
    );
  }
}

function quantiles(
  first: Map<string, number>,
  observers: string[],
  sinceMs: number,
): Quantiles {
  const out: Quantiles = {};
  for (const [key, q] of QUANTILES) {
    out[key] = timeToFraction(first, observers, q, sinceMs);
  }
  return out;
}

function pct(f: number): string {
  return `${(100 * f).toFixed(2)}%`;
}
