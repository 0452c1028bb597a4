/**
 * Cluster scenarios as lists of steps (`start n1..n5`, `partition n3`,
 * `advance 6s`, `expect n3 dead on all`), run on a seeded `SimCluster`
 * with invariants checked after every step. A failure throws a
 * `ScenarioError` that names the seed and the step, so it can be replayed.
 *
 * @module
 */

import type { CoreOptions, MemberState } from "../core/mod.ts";
import { type NetworkOptions, SimCluster } from "./cluster.ts";
import { checkInvariants } from "./invariants.ts";
import { describeStep, ISOLATE_REST, parseStep } from "./step_text.ts";

export { describeStep, parseStep } from "./step_text.ts";

/** One step of a scenario. */
export type Step =
  /** Starts nodes by name or count (named n1, n2, ... after the last). */
  | { op: "start"; names?: string[]; count?: number; seeds?: string[] }
  | { op: "crash"; names: string[] }
  | { op: "pause"; names: string[] }
  | { op: "resume"; names: string[] }
  | { op: "leave"; names: string[] }
  /** Cuts every link between the two groups. */
  | { op: "partition"; groups: [string[], string[]] }
  | { op: "heal" }
  | { op: "advance"; ms: number }
  /**
   * Every node in `on` (default: all running nodes but `member`) holds
   * `member` in `state`, now or, with `withinMs`, within that time.
   */
  | {
    op: "expect";
    member: string;
    state: MemberState;
    on?: "all" | string[];
    withinMs?: number;
  };

/** A scenario: a seed, the cluster's settings and its steps. */
export interface Scenario {
  name?: string;
  seed: number;
  options?: Partial<CoreOptions>;
  net?: Partial<NetworkOptions>;
  /** Steps as objects or in their one-line text form (see `parseStep`). */
  steps: (Step | string)[];
}

/** A scenario step failed, or an invariant broke after it. */
export class ScenarioError extends Error {
  /** The seed that replays the failure. */
  readonly seed: number;
  /** Index of the failing step, from 0. */
  readonly stepIndex: number;
  /** The failing step, in text form. */
  readonly step: string;

  /** Describes `problem` found at step `stepIndex` of a run with `seed`. */
  constructor(
    scenario: string,
    seed: number,
    stepIndex: number,
    step: string,
    atMs: number,
    problem: string,
  ) {
    super(
      `Scenario "${scenario}" failed with seed ${seed} at step ${stepIndex} ` +
        `(${step}), t=${(atMs / 1000).toFixed(3)}s: ${problem}`,
    );
    this.name = "ScenarioError";
    this.seed = seed;
    this.stepIndex = stepIndex;
    this.step = step;
  }
}

/** How often an `expect ... within` looks again, in virtual ms. */
const EXPECT_POLL_MS = 100;

/** Runs `scenario` and returns its cluster for further inspection. */
export function runScenario(scenario: Scenario): SimCluster {
  const sim = new SimCluster(scenario.seed, scenario.options, scenario.net);
  const label = scenario.name ?? "unnamed";
  scenario.steps.forEach((raw, i) => {
    const step = typeof raw === "string" ? parseStep(raw) : raw;
    const fail = (problem: string): never => {
      throw new ScenarioError(
        label,
        scenario.seed,
        i,
        describeStep(step),
        sim.nowMs,
        problem,
      );
    };

    const problem = runStep(sim, step) ?? checkInvariants(sim);
    if (problem !== undefined) fail(problem);
  });
  return sim;
}

/** Carries out one step; returns what went wrong, if anything. */
export function runStep(sim: SimCluster, step: Step): string | undefined {
  switch (step.op) {
    case "start":
      return startNodes(sim, step);
    case "crash":
      return each(sim, step.names, (n) => sim.crash(n));
    case "pause":
      return each(sim, step.names, (n) => sim.pause(n));
    case "resume":
      return each(sim, step.names, (n) => sim.resume(n));
    case "leave":
      return each(sim, step.names, (n) => sim.leave(n));
    case "partition":
      return partition(sim, step.groups);
    case "heal":
      sim.heal();
      return undefined;
    case "advance":
      sim.advance(step.ms);
      return undefined;
    case "expect":
      return expectState(sim, step);
  }
}

function partition(
  sim: SimCluster,
  [a, b]: [string[], string[]],
): string | undefined {
  // A one-sided partition cuts its group off from every other node.
  const other = b.length === 1 && b[0] === ISOLATE_REST
    ? sim.names().filter((n) => !a.includes(n))
    : b;
  const unknown = [...a, ...other].filter((n) => !sim.has(n));
  if (unknown.length > 0) return `no such node: ${unknown.join(", ")}`;
  sim.partition(a, other);
  return undefined;
}

function each(
  sim: SimCluster,
  names: string[],
  act: (name: string) => void,
): string | undefined {
  const unknown = names.filter((n) => !sim.has(n));
  if (unknown.length > 0) return `no such node: ${unknown.join(", ")}`;
  names.forEach(act);
}

function startNodes(
  sim: SimCluster,
  step: Extract<Step, { op: "start" }>,
): string | undefined {
  const names = step.names ?? nextNames(sim, step.count ?? 1);
  const running = sim.running();

  // Without seeds, join through the first running node; a first batch
  // forms around its own first node.
  const seeds = step.seeds ?? (running.length > 0 ? [running[0]] : []);
  for (const name of names) {
    sim.start(name, seeds.filter((s) => s !== name));
    if (seeds.length === 0) seeds.push(name);
  }
  return undefined;
}

/** `count` fresh names n<k+1>..n<k+count> after those already used. */
function nextNames(sim: SimCluster, count: number): string[] {
  let k = sim.names().length;
  const names: string[] = [];
  while (names.length < count) {
    k += 1;
    if (!sim.has(`n${k}`)) names.push(`n${k}`);
  }
  return names;
}

function expectState(
  sim: SimCluster,
  step: Extract<Step, { op: "expect" }>,
): string | undefined {
  const startMs = sim.nowMs;
  const limitMs = step.withinMs ?? 0;
  // Bounded: one look now, then one per poll interval until the limit.
  for (let waited = 0;; waited += EXPECT_POLL_MS) {
    const wrong = wrongObservers(sim, step);
    if (wrong.length === 0) return undefined;
    if (waited + EXPECT_POLL_MS > limitMs) {
      const within = limitMs > 0 ? ` within ${limitMs} ms` : "";
      return `expected ${step.member} ${step.state}${within}, but ` +
        wrong.slice(0, 5).join(", ") +
        (wrong.length > 5 ? ` and ${wrong.length - 5} more` : "");
    }
    sim.runUntil(startMs + waited + EXPECT_POLL_MS);
  }
}

/** Observers that do not hold the member in the expected state. */
function wrongObservers(
  sim: SimCluster,
  step: Extract<Step, { op: "expect" }>,
): string[] {
  const on = step.on === undefined || step.on === "all"
    ? sim.running().filter((n) => n !== step.member)
    : step.on;
  const wrong: string[] = [];
  for (const observer of on) {
    if (!sim.has(observer)) return [`no such node: ${observer}`];
    const state = sim.stateOf(observer, step.member);
    if (state !== step.state) {
      wrong.push(`${observer} holds it ${state ?? "unknown"}`);
    }
  }
  return wrong;
}
