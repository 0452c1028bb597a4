/**
 * A long quiet run under packet loss, counting live members that anyone
 * wrongly declared suspect or dead.
 *
 * @module
 */

import { type Profile, profileOptions } from "./experiment.ts";
import { SimCluster } from "./cluster.ts";
import { FalseAlarmCounter } from "./tracker.ts";

/** A soak: N nodes at one loss rate for some virtual minutes. */
export interface SoakSpec {
  nodes: number;
  loss: number;
  minutes: number;
  profile: Profile;
  seed: number;
}

/** What a soak counted. */
export interface SoakResult {
  spec: SoakSpec;
  /** Declarations of dead about running members (target: 0). */
  falseDeadEvents: number;
  falseDeadMembers: number;
  falseSuspectEvents: number;
  falseSuspectMembers: number;
  /** Refutations by all nodes together. */
  refutes: number;
  packetsPerNodePerS: number;
  bytesPerNodePerS: number;
  wallSeconds: number;
}

/** Runs a soak; `log` receives a progress line every virtual minute. */
export function runSoak(
  spec: SoakSpec,
  log: (line: string) => void = () => {},
): SoakResult {
  const t0 = performance.now();
  const sim = new SimCluster(spec.seed, profileOptions(spec.profile), {
    loss: spec.loss,
    delayMs: 1,
    jitterMs: 1,
  });
  // Nobody crashes: every dead or suspect verdict is false.
  const alarms = new FalseAlarmCounter(() => false);
  sim.onEvent = (o, e) => alarms.onEvent(o, e);
  const names = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
  sim.startFormed(names);

  for (let minute = 1; minute <= spec.minutes; minute++) {
    sim.advance(60_000);
    log(
      `[soak ${spec.profile} N=${spec.nodes} loss=${spec.loss}] minute ` +
        `${minute}/${spec.minutes} false dead=${alarms.deadEvents} ` +
        `false suspect=${alarms.suspectEvents}`,
    );
  }

  const seconds = spec.minutes * 60;
  return {
    spec,
    falseDeadEvents: alarms.deadEvents,
    falseDeadMembers: alarms.deadSubjects.size,
    falseSuspectEvents: alarms.suspectEvents,
    falseSuspectMembers: alarms.suspectSubjects.size,
    refutes: names.reduce((sum, n) => sum + sim.core(n).stats().refutes, 0),
    packetsPerNodePerS: sim.sent.packets / spec.nodes / seconds,
    bytesPerNodePerS: sim.sent.bytes / spec.nodes / seconds,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
