/**
 * Properties every simulated cluster must keep whatever happens to it,
 * checked by scenarios after every step.
 *
 * @module
 */

import type { SimCluster } from "./cluster.ts";

/**
 * Checks every invariant of `sim`; returns the first broken one, described,
 * or undefined when all hold:
 * - a node that has not crashed holds itself alive, or left once it leaves;
 * - no node holds a member at a higher incarnation than the member itself
 *   has (only a member raises its own incarnation);
 * - views contain only nodes that were started, at addresses they ran at.
 */
export function checkInvariants(sim: SimCluster): string | undefined {
  for (const name of sim.names()) {
    const status = sim.status(name);
    if (status === "crashed") continue;
    const problem = checkSelf(sim, name, status) ?? checkView(sim, name);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkSelf(
  sim: SimCluster,
  name: string,
  status: ReturnType<SimCluster["status"]>,
): string | undefined {
  const self = sim.core(name).self();
  const expected = status === "left" ? "left" : "alive";
  if (self.state !== expected) {
    return `invariant broken: ${name} (${status}) holds itself ${self.state}`;
  }
  return undefined;
}

function checkView(sim: SimCluster, observer: string): string | undefined {
  for (const m of sim.core(observer).members()) {
    if (!sim.has(m.name)) {
      return `invariant broken: ${observer} knows ${m.name}, a node that was never started`;
    }
    if (!sim.addrsOf(m.name).includes(m.addr)) {
      return `invariant broken: ${observer} holds ${m.name} at ${m.addr}, where it never ran`;
    }
    const own = sim.maxIncarnationOf(m.name);
    if (m.incarnation > own) {
      return `invariant broken: ${observer} holds ${m.name} at incarnation ${m.incarnation}, above any it had (${own})`;
    }
  }
  return undefined;
}
