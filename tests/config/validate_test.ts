import assert from "node:assert/strict";
import { defaultCoreOptions } from "../../src/core/options.ts";
import {
  defaultAgentConfig,
  validateAgentConfig,
  validateCoreOptions,
} from "../../src/config/mod.ts";
import { assertProblem, problemsOf } from "./_helpers.ts";

Deno.test("validateAgentConfig() finds nothing wrong with the defaults", () => {
  assert.deepEqual(validateAgentConfig(defaultAgentConfig("node-1")), []);
});

Deno.test("validation refuses a negative interval", () => {
  assert.deepEqual(problemsOf(["--gossip-interval-ms=-5"]), [
    "Cannot start node as gossip_interval_ms must be between 10 and 60000: current value is -5 (from --gossip-interval-ms)",
  ]);
  assertProblem(
    problemsOf([], { RADS_REAP_AFTER_MS: "-1" }),
    "reap_after_ms must not be negative: current value is -1",
    "(from RADS_REAP_AFTER_MS)",
  );
});

Deno.test("validation refuses a probe timeout at or above the interval", () => {
  assert.deepEqual(
    problemsOf(["--probe-timeout-ms", "1500", "--probe-interval-ms", "1000"]),
    [
      "Cannot start node as probe_timeout_ms must be below probe_interval_ms: current values are 1500 and 1000 (from --probe-timeout-ms and --probe-interval-ms)",
    ],
  );
  assertProblem(
    problemsOf(["--probe-timeout-ms", "500"]),
    "probe_timeout_ms must be below probe_interval_ms: current values are 500 and 500",
    "(from --probe-timeout-ms and the default)",
  );
});

Deno.test("validation refuses join retries whose ceiling is below the floor", () => {
  assertProblem(
    problemsOf(["--join-retry-max-ms", "100"]),
    "join_retry_max_ms must be at least join_retry_min_ms: current values are 100 and 250",
  );
});

Deno.test("validation checks every documented range", () => {
  const cases: [string, string, string][] = [
    ["--probe-interval-ms", "49", "between 50 and 60000"],
    ["--probe-interval-ms", "60001", "between 50 and 60000"],
    ["--probe-timeout-ms", "0", "at least 1"],
    ["--indirect-checks", "17", "between 0 and 16"],
    ["--gossip-interval-ms", "9", "between 10 and 60000"],
    ["--gossip-fanout", "0", "between 1 and 16"],
    ["--suspicion-mult", "0", "at least 1"],
    ["--suspicion-max-mult", "0", "at least 1"],
    ["--retransmit-mult", "21", "between 1 and 20"],
    ["--push-pull-interval-ms", "999", "0 or at least 1000"],
    ["--max-packet-bytes", "511", "between 512 and 8192"],
    ["--max-packet-bytes", "8193", "between 512 and 8192"],
    ["--join-retry-min-ms", "9", "at least 10"],
    ["--leave-propagate-ms", "60001", "between 0 and 60000"],
  ];
  for (const [flag, value, rule] of cases) {
    assertProblem(problemsOf([`${flag}=${value}`]), rule, `(from ${flag})`);
  }
});

Deno.test("validation refuses numbers that are not integers", () => {
  assertProblem(
    problemsOf(["--gossip-fanout", "2.5"]),
    'Cannot start node as --gossip-fanout must be an integer: current value is "2.5"',
  );
  assertProblem(
    problemsOf([], { RADS_GOSSIP_FANOUT: "three" }),
    'Cannot start node as RADS_GOSSIP_FANOUT must be an integer: current value is "three"',
  );
  const core = { ...defaultCoreOptions(), gossipFanout: 2.5 };
  assert.deepEqual(validateCoreOptions(core), [
    "Cannot start node as gossip_fanout must be an integer: current value is 2.5",
  ]);
});

Deno.test("validation refuses ports out of range", () => {
  assertProblem(
    problemsOf(["--bind", "0.0.0.0:70000"]),
    'Cannot start node as bind "0.0.0.0:70000" is not a valid address: port must be an integer from 0 to 65535 (from --bind)',
  );
  assertProblem(
    problemsOf(["--join", "seed:0"]),
    'join "seed:0" is not a valid address: port must be an integer from 1 to 65535',
  );
  assertProblem(problemsOf([], { RADS_CONTROL: "127.0.0.1:65536" }), "control");
});

Deno.test("validation refuses an advertise address nobody can reach", () => {
  assertProblem(
    problemsOf(["--advertise", "0.0.0.0:7946"]),
    "advertise must be an address others can reach",
  );
  assertProblem(problemsOf(["--advertise", "[::]:7946"]), "advertise");
  assertProblem(
    problemsOf(["--advertise", "10.0.0.1:0"]),
    "port must be an integer from 1 to 65535",
  );
  assertProblem(
    problemsOf(["--bind", "0.0.0.0:0", "--advertise", "10.0.0.1"]),
    "advertise",
    "missing port",
  );
});

Deno.test("validation refuses bad tag syntax", () => {
  assertProblem(
    problemsOf(["--tag", "zone"]),
    'Cannot start node as --tag must be KEY=VALUE: current value is "zone"',
  );
  assertProblem(
    problemsOf([], { RADS_TAGS: "a=1,zone" }),
    "each entry of RADS_TAGS must be KEY=VALUE",
  );
  assertProblem(problemsOf(["--tag", "=x"]), "tag keys must not be empty");
  assertProblem(
    problemsOf(["--tag", "a/b=x"]),
    "tag keys must use only A-Z, a-z, 0-9, _, . and -",
    '"a/b"',
  );
});

Deno.test("validation limits tags in number and size", () => {
  const many = Array.from({ length: 33 }, (_, i) => ["--tag", `k${i}=v`]);
  assertProblem(problemsOf(many.flat()), "tags must have at most 32 entries");
  assertProblem(
    problemsOf(["--tag", `${"k".repeat(256)}=v`]),
    "tag keys must be at most 255 bytes long",
  );
  assertProblem(
    problemsOf(["--tag", `k=${"é".repeat(128)}`]),
    "tag k value must be at most 255 bytes long: it has 256",
  );
});

Deno.test("validateAgentConfig() accepts 32 tags at the size limits", () => {
  const tags = Object.fromEntries(
    Array.from(
      { length: 32 },
      (_, i) => [`k${i}`.padEnd(255, "x"), "v".repeat(255)],
    ),
  );
  assert.deepEqual(
    validateAgentConfig({ ...defaultAgentConfig("n"), tags }),
    [],
  );
});

Deno.test("validation refuses names that are empty, long or have spaces", () => {
  assertProblem(problemsOf([], { RADS_NAME: "a b" }), "whitespace");
  assertProblem(problemsOf(["--name", "tab\there"]), "whitespace");
  assertProblem(problemsOf(["--name", "bell\u0007"]), "control characters");
  assertProblem(problemsOf(["--name", ""]), "name must be 1 to 128 bytes");
  assertProblem(
    problemsOf(["--name", "ü".repeat(65)]),
    "name must be 1 to 128 bytes",
  );
});

Deno.test("validation refuses an unknown log level", () => {
  assert.deepEqual(problemsOf(["--log-level", "verbose"]), [
    'Cannot start node as log_level must be one of debug, info, warn, error: current value is "verbose" (from --log-level)',
  ]);
});

Deno.test("validation lists every problem at once", () => {
  const problems = problemsOf(
    [
      "--probe-interval-ms",
      "10",
      "--gossip-fanout",
      "99",
      "--bind",
      "nowhere:99999",
      "--tag",
      "novalue",
    ],
    { RADS_LOG_LEVEL: "loud", RADS_MAX_PACKET_BYTES: "lots" },
  );
  assert.equal(problems.length, 6, problems.join("\n"));
  assertProblem(problems, "probe_interval_ms");
  assertProblem(problems, "gossip_fanout");
  assertProblem(problems, "bind");
  assertProblem(problems, "--tag");
  assertProblem(problems, "log_level");
  assertProblem(problems, "RADS_MAX_PACKET_BYTES");
  for (const p of problems) assert.match(p, /^Cannot start node as /);
});

Deno.test("validation skips pair checks when one side is already wrong", () => {
  // The interval is reported; comparing the timeout with it would only
  // add noise.
  assert.equal(problemsOf(["--probe-interval-ms", "10"]).length, 1);
  assert.equal(
    problemsOf(["--probe-interval-ms", "fast", "--probe-timeout-ms", "900"])
      .length,
    1,
  );
});

Deno.test("validation blames a bad bind, not the advertise that needs its port", () => {
  assert.deepEqual(
    problemsOf(["--bind", "0.0.0.0:x", "--advertise", "10.0.0.1"]).length,
    1,
  );
});
