import assert from "node:assert/strict";
import {
  parseStep,
  runScenario,
  ScenarioError,
} from "../../src/sim/scenario.ts";

Deno.test("runScenario() forms a cluster of ten and sees a crash through to dead", () => {
  runScenario({
    name: "crash",
    seed: 11,
    steps: [
      "start n1..n10",
      "advance 3s",
      "expect n7 alive on all",
      "crash n7",
      "expect n7 suspect on all within 5s",
      "expect n7 dead on all within 15s",
      "advance 10s",
      "expect n7 dead on all",
    ],
  });
});

Deno.test("runScenario() keeps a briefly frozen node alive after it refutes", () => {
  runScenario({
    name: "pause",
    seed: 12,
    net: { loss: 0.05, jitterMs: 5 },
    steps: [
      "start 8",
      "advance 3s",
      "pause n4",
      "expect n4 suspect on all within 5s",
      "resume n4",
      "expect n4 alive on all within 3s",
      "advance 10s",
      "expect n4 alive on all",
    ],
  });
});

Deno.test("runScenario() heals a partition into one cluster", () => {
  runScenario({
    name: "partition",
    seed: 13,
    steps: [
      "start n1..n6",
      "advance 3s",
      "partition n1,n2,n3 | n4,n5,n6",
      "expect n5 dead on n1,n2,n3 within 20s",
      "expect n1 dead on n4,n5,n6 within 20s",
      "heal",
      "expect n5 alive on all within 90s",
      "expect n1 alive on all within 30s",
    ],
  });
});

Deno.test("runScenario() isolates one node with a one-sided partition", () => {
  runScenario({
    name: "isolate",
    seed: 14,
    steps: [
      "start 5",
      "advance 3s",
      "partition n3",
      "expect n3 dead on all within 20s",
      "heal",
      "expect n3 alive on all within 90s",
    ],
  });
});

Deno.test("runScenario() reports a graceful leave as left, never dead", () => {
  runScenario({
    name: "leave",
    seed: 15,
    net: { loss: 0.1 },
    steps: [
      "start n1..n12",
      "advance 4s",
      "leave n9",
      "expect n9 left on all within 3s",
      "advance 20s",
      "expect n9 left on all",
    ],
  });
});

Deno.test("runScenario() brings back a crashed node restarted under its name", () => {
  runScenario({
    name: "restart",
    seed: 16,
    steps: [
      "start n1..n6",
      "advance 3s",
      "crash n2",
      "expect n2 dead on all within 20s",
      "start n2 via n5",
      "expect n2 alive on all within 10s",
      "start 14",
      "advance 10s",
      "expect n20 alive on all",
    ],
  });
});

Deno.test("runScenario() names the seed and the step of a wrong expectation", () => {
  const run = () =>
    runScenario({
      name: "deliberately wrong",
      seed: 42,
      steps: [
        "start n1..n5",
        "advance 2s",
        "crash n3",
        "advance 10s",
        "expect n3 alive on all",
      ],
    });
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ScenarioError);
    assert.equal(e.seed, 42);
    assert.equal(e.stepIndex, 4);
    assert.match(
      e.message,
      /"deliberately wrong" failed with seed 42 at step 4 \(expect n3 alive on all\)/,
    );
    assert.match(e.message, /n\d holds it dead/);
    return true;
  });
});

Deno.test("runScenario() reports a step naming an unknown node", () => {
  assert.throws(
    () => runScenario({ seed: 7, steps: ["start 3", "crash n9"] }),
    /seed 7 at step 1 \(crash n9\).*no such node: n9/,
  );
});

Deno.test("parseStep() reads every verb of the text form", () => {
  assert.deepEqual(parseStep("start n1..n3 via n9"), {
    op: "start",
    names: ["n1", "n2", "n3"],
    seeds: ["n9"],
  });
  assert.deepEqual(parseStep("start 4"), {
    op: "start",
    count: 4,
    seeds: undefined,
  });
  assert.deepEqual(parseStep("pause n2 n4"), {
    op: "pause",
    names: ["n2", "n4"],
  });
  assert.deepEqual(parseStep("partition n1,n2 | n3"), {
    op: "partition",
    groups: [["n1", "n2"], ["n3"]],
  });
  assert.deepEqual(parseStep("advance 1.5s"), { op: "advance", ms: 1500 });
  assert.deepEqual(parseStep("expect n3 dead on n1,n2 within 10s"), {
    op: "expect",
    member: "n3",
    state: "dead",
    on: ["n1", "n2"],
    withinMs: 10_000,
  });
  assert.throws(() => parseStep("explode n1"), SyntaxError);
  assert.throws(() => parseStep("expect n1 sleepy"), SyntaxError);
});
