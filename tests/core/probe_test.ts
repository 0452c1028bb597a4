import assert from "node:assert/strict";
import { ProbeOrder } from "../../src/core/probe.ts";
import { Suspicion } from "../../src/core/suspicion.ts";
import { defaultCoreOptions, scaledTimings } from "../../src/core/options.ts";
import { seededRandom } from "../../src/sim/prng.ts";

Deno.test("early probes of suspects cannot starve the round-robin", () => {
  const order = new ProbeOrder(seededRandom(1));
  const members = Array.from({ length: 10 }, (_, i) => `m${i}`);
  const seen = new Set<string>();
  // A suspicion arrives before every period, as under heavy loss.
  for (let period = 0; period < 40; period++) {
    order.probeSoon(`m${period % 3}`);
    const next = order.next(() => [...members], () => true)!;
    seen.add(next);
  }
  // Every member is still probed, not only the three suspects.
  assert.equal(seen.size, 10);
});

Deno.test("a member reported suspect is probed in the next period", () => {
  const order = new ProbeOrder(seededRandom(2));
  const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
  order.next(() => [...members], () => true);
  order.probeSoon("m42");
  assert.equal(order.next(() => [...members], () => true), "m42");
});

Deno.test("a suspicion stops counting confirmations once they bring the timeout to its floor", () => {
  const timings = scaledTimings(defaultCoreOptions(), 100);
  assert.equal(timings.expectedConfirmations, 2);
  const s = new Suspicion(1, "a", 0, timings);
  assert.equal(s.confirm("b"), true);
  assert.equal(s.confirm("b"), false, "a repeat");
  assert.equal(s.confirm("c"), true);
  // Two confirmations reach the floor: a third is neither counted nor
  // worth spreading.
  assert.equal(s.confirm("d"), false);
  assert.equal(s.confirmations, 2);
  assert.equal(s.deadlineMs, timings.suspicionMinMs);
});
