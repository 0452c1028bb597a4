import assert from "node:assert/strict";
import type { MemberState } from "../../src/core/mod.ts";
import { SimCluster } from "../../src/sim/cluster.ts";

const NAMES = ["n1", "n2", "n3", "n4", "n5"];

function startFive(seed: number): SimCluster {
  const sim = new SimCluster(seed);
  sim.start("n1");
  for (const n of NAMES.slice(1)) sim.start(n, ["n1"]);
  return sim;
}

/** Advances in 100 ms steps until every running node but `subject`'s own
 * view holds `subject` in `state`; returns the virtual time it took. */
function timeUntil(
  sim: SimCluster,
  subject: string,
  state: MemberState,
  limitMs = 30_000,
): number {
  const start = sim.nowMs;
  while (sim.nowMs - start <= limitMs) {
    const observers = sim.running().filter((n) => n !== subject);
    if (observers.every((o) => sim.stateOf(o, subject) === state)) {
      return sim.nowMs - start;
    }
    sim.advance(100);
  }
  throw new Error(`${subject} not ${state} everywhere within ${limitMs} ms`);
}

function everyoneSeesAllAlive(sim: SimCluster): boolean {
  const running = sim.running();
  return running.every((o) =>
    running.every((s) => sim.stateOf(o, s) === "alive")
  );
}

Deno.test("SimCluster: five nodes joining through one seed converge", () => {
  const sim = startFive(1);
  sim.advance(1000);
  assert.ok(everyoneSeesAllAlive(sim));
});

Deno.test("SimCluster: a crashed node is suspect, then dead, on all others", () => {
  const sim = startFive(2);
  sim.advance(2000);
  sim.crash("n3");

  const toSuspect = timeUntil(sim, "n3", "suspect");
  const toDead = toSuspect + timeUntil(sim, "n3", "dead");
  assert.ok(toSuspect < toDead);
  // Dead is final until n3 comes back: nobody holds it alive a while later.
  sim.advance(10_000);
  for (const o of sim.running()) assert.equal(sim.stateOf(o, "n3"), "dead");
});

Deno.test("SimCluster: a node that leaves is left on all others, never dead", () => {
  const sim = startFive(3);
  sim.advance(2000);
  sim.leave("n4");
  timeUntil(sim, "n4", "left");

  sim.advance(30_000);
  for (const o of sim.running()) assert.equal(sim.stateOf(o, "n4"), "left");
});

Deno.test("SimCluster: a crashed node restarted under its name is alive again", () => {
  const sim = startFive(4);
  sim.advance(2000);
  sim.crash("n2");
  timeUntil(sim, "n2", "dead");

  sim.advance(1000);
  sim.start("n2", ["n5"]);
  timeUntil(sim, "n2", "alive");
  sim.advance(20_000);
  assert.ok(everyoneSeesAllAlive(sim));
});

Deno.test("SimCluster: a node frozen briefly is suspected, refutes, and stays", () => {
  const sim = startFive(5);
  sim.advance(2000);
  sim.pause("n5");
  timeUntil(sim, "n5", "suspect");
  sim.resume("n5");

  timeUntil(sim, "n5", "alive");
  sim.advance(5000);
  assert.ok(everyoneSeesAllAlive(sim));
});

Deno.test("SimCluster: a node frozen past its death comes back alive", () => {
  const sim = startFive(6);
  sim.advance(2000);
  sim.pause("n5");
  timeUntil(sim, "n5", "dead");
  sim.resume("n5");

  timeUntil(sim, "n5", "alive");
  sim.advance(5000);
  assert.ok(everyoneSeesAllAlive(sim));
});

Deno.test("SimCluster: nodes started before their seed still form one cluster", () => {
  const sim = new SimCluster(7);
  for (const n of NAMES.slice(1)) {
    sim.start(n, ["n1"]);
  }
  // n1 does not exist yet: its address is silent and the joiners retry.
  sim.advance(3000);
  sim.start("n1");
  sim.advance(8000);
  assert.ok(everyoneSeesAllAlive(sim));
  assert.equal(sim.running().length, 5);
});

Deno.test("SimCluster: a healed partition becomes one cluster again", () => {
  const sim = startFive(8);
  sim.advance(2000);
  sim.partition(["n1", "n2"], ["n3", "n4", "n5"]);
  sim.advance(30_000);
  assert.equal(sim.stateOf("n1", "n4"), "dead");

  sim.heal();
  sim.advance(90_000);
  assert.ok(everyoneSeesAllAlive(sim));
});
