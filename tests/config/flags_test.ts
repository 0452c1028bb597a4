import assert from "node:assert/strict";
import { assertProblem, problemsOf } from "./_helpers.ts";

Deno.test("an unknown flag is named with the closest known flag", () => {
  assert.deepEqual(problemsOf(["--bindd", "0.0.0.0:1"]), [
    "unknown flag --bindd (did you mean --bind?)",
  ]);
  assert.deepEqual(problemsOf(["--probe_interval_ms=5"]), [
    "unknown flag --probe_interval_ms (did you mean --probe-interval-ms?)",
  ]);
  assert.deepEqual(problemsOf(["--colour"]), [
    "unknown flag --colour (see rads-node agent --help)",
  ]);
  assert.deepEqual(problemsOf(["-x"]), [
    "unknown flag -x (see rads-node agent --help)",
  ]);
});

Deno.test("every flag syntax problem is listed", () => {
  assert.deepEqual(problemsOf(["--nmae", "x", "stray", "--bind"]), [
    "unknown flag --nmae (did you mean --name?)",
    'unexpected argument "stray" (rads-node agent takes flags only)',
    "flag --bind needs a value",
  ]);
});

Deno.test("a flag value that looks like a flag must be written inline", () => {
  assertProblem(
    problemsOf(["--probe-interval-ms", "-5"]),
    "flag --probe-interval-ms needs a value",
    "write --probe-interval-ms=-5",
  );
  assertProblem(
    problemsOf(["--probe-interval-ms=-5"]),
    "probe_interval_ms must be between 50 and 60000: current value is -5",
  );
});

Deno.test("--help takes no value and positionals are refused", () => {
  assert.deepEqual(problemsOf(["--help=yes"]), ["flag --help takes no value"]);
  assertProblem(problemsOf(["--", "x"]), 'unexpected argument "x"');
});

Deno.test("a scalar flag given twice keeps the last value", () => {
  assert.deepEqual(problemsOf(["--name", "a b", "--name", "c d"]), [
    'Cannot start node as name must not contain whitespace or control characters: current value is "c d" (from --name)',
  ]);
});
