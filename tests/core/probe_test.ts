import assert from "node:assert/strict";
import { ProbeOrder } from "../../src/core/probe.ts";
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
