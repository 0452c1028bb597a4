import assert from "node:assert/strict";
import { SimCluster } from "../../src/sim/cluster.ts";
import { checkInvariants } from "../../src/sim/invariants.ts";
import { encodeFrame } from "../../src/wire/mod.ts";

const META = { cpus: 1, memoryMiB: 512, tags: {} };

function formed(seed: number): SimCluster {
  const sim = new SimCluster(seed);
  sim.start("n1");
  for (const n of ["n2", "n3", "n4"]) sim.start(n, ["n1"]);
  sim.advance(2000);
  return sim;
}

Deno.test("checkInvariants() holds through crashes, leaves and restarts", () => {
  const sim = formed(1);
  sim.crash("n2");
  sim.leave("n3");
  sim.advance(15_000);
  assert.equal(checkInvariants(sim), undefined);

  sim.start("n2", ["n1"]);
  sim.advance(5000);
  assert.equal(checkInvariants(sim), undefined);
});

Deno.test("checkInvariants() reports a member nobody started", () => {
  const sim = formed(2);
  sim.inject(
    "n1",
    "10.9.9.9:7946",
    encodeFrame([{
      type: "alive",
      name: "ghost",
      incarnation: 1,
      addr: "10.9.9.9:7946",
      meta: META,
    }]),
  );
  assert.match(
    checkInvariants(sim) ?? "",
    /n1 knows ghost, a node that was never started/,
  );
});

Deno.test("checkInvariants() reports an incarnation the member never had", () => {
  const sim = formed(3);
  // A forged alive for n4 at a new address and an incarnation it never
  // reached: n1 believes it until n4 refutes.
  sim.inject(
    "n1",
    sim.addrOf("n4"),
    encodeFrame([{
      type: "alive",
      name: "n4",
      incarnation: 99,
      addr: sim.addrOf("n4"),
      meta: META,
    }]),
  );
  assert.match(
    checkInvariants(sim) ?? "",
    /n1 holds n4 at incarnation 99, above any it had/,
  );
});
