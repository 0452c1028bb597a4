/**
 * The operator settings: log format, profile, event handlers and the
 * control token, from every source, with their precedence and checks.
 */

import assert from "node:assert/strict";
import { defaultCoreOptions, lanProfile } from "../../src/core/options.ts";
import { isLoopbackHost, validateAgentConfig } from "../../src/config/mod.ts";
import { assertProblem, load, problemsOf, yamlTest } from "./_helpers.ts";

const FILE = "/etc/rads.yaml";

Deno.test("the operator settings default to text logs, no handlers and no token", () => {
  const config = load([]);
  assert.equal(config.logFormat, "text");
  assert.equal(config.profile, "default");
  assert.deepEqual(config.onEvent, []);
  assert.equal(config.onEventTimeoutMs, 10_000);
  assert.equal(config.controlToken, undefined);
  assert.equal(config.controlTokenFile, undefined);
});

yamlTest(
  "each operator setting comes from a flag, a variable or a YAML key",
  () => {
    const files = {
      [FILE]: "log_format: json\nprofile: lan\non_event_timeout_ms: 500\n" +
        "on_event: [a.sh, 'b.sh x,y']\ncontrol_token: from-file\n",
    };
    const fromFile = load(["--config", FILE], {}, files);
    assert.equal(fromFile.logFormat, "json");
    assert.equal(fromFile.profile, "lan");
    assert.equal(fromFile.onEventTimeoutMs, 500);
    assert.deepEqual(fromFile.onEvent, ["a.sh", "b.sh x,y"]);
    assert.equal(fromFile.controlToken, "from-file");

    const env = {
      RADS_LOG_FORMAT: "text",
      RADS_PROFILE: "default",
      RADS_ON_EVENT_TIMEOUT_MS: "600",
      RADS_ON_EVENT: "logger -t rads a,b",
      RADS_CONTROL_TOKEN: "from-env",
    };
    const fromEnv = load(["--config", FILE], env, files);
    assert.equal(fromEnv.logFormat, "text");
    assert.equal(fromEnv.profile, "default");
    assert.equal(fromEnv.onEventTimeoutMs, 600);
    assert.deepEqual(fromEnv.onEvent, ["logger -t rads a,b"]);
    assert.equal(fromEnv.controlToken, "from-env");

    const flags = [
      "--log-format=json",
      "--on-event",
      "x.sh",
      "--on-event",
      "y.sh, z",
      "--on-event-timeout-ms=700",
      "--control-token=from-flag",
    ];
    const fromFlags = load(["--config", FILE, ...flags], env, files);
    assert.equal(fromFlags.logFormat, "json");
    assert.deepEqual(fromFlags.onEvent, ["x.sh", "y.sh, z"]);
    assert.equal(fromFlags.onEventTimeoutMs, 700);
    assert.equal(fromFlags.controlToken, "from-flag");
  },
);

yamlTest("on_event may be one string, commas and all", () => {
  const files = { [FILE]: 'on_event: "echo a,b"\n' };
  assert.deepEqual(load(["--config", FILE], {}, files).onEvent, ["echo a,b"]);
});

Deno.test("the lan profile sets memberlist's LAN timings", () => {
  assert.deepEqual(load(["--profile", "lan"]).core, {
    ...defaultCoreOptions(),
    probeIntervalMs: 1000,
    probeTimeoutMs: 500,
    indirectChecks: 3,
    gossipIntervalMs: 200,
    gossipFanout: 3,
    suspicionMult: 4,
    suspicionMaxMult: 6,
    retransmitMult: 4,
    pushPullIntervalMs: 30_000,
  });
  assert.deepEqual(load(["--profile", "lan"]).core, lanProfile());
  assert.deepEqual(load(["--profile", "default"]).core, defaultCoreOptions());
});

yamlTest("individual timings from any source override the profile", () => {
  const files = { [FILE]: "profile: lan\nsuspicion_max_mult: 3\n" };
  const config = load(
    ["--config", FILE, "--probe-timeout-ms", "300"],
    { RADS_GOSSIP_FANOUT: "5" },
    files,
  );
  assert.equal(config.core.probeIntervalMs, 1000);
  assert.equal(config.core.probeTimeoutMs, 300);
  assert.equal(config.core.gossipFanout, 5);
  assert.equal(config.core.suspicionMaxMult, 3);
});

Deno.test("a higher source's profile wins over a lower one's", () => {
  const config = load(["--profile", "default"], { RADS_PROFILE: "lan" });
  assert.deepEqual(config.core, defaultCoreOptions());
});

Deno.test("a problem with a profile value names the profile as its origin", () => {
  assertProblem(
    problemsOf(["--profile", "lan", "--probe-interval-ms", "400"]),
    "probe_timeout_ms must be below probe_interval_ms: current values are 500 and 400",
    "(from the lan profile and --probe-interval-ms)",
  );
});

Deno.test("unknown log formats and profiles are refused with the choices", () => {
  const problems = problemsOf(["--log-format", "xml"], { RADS_PROFILE: "wan" });
  assertProblem(
    problems,
    'log_format must be one of text, json: current value is "xml" (from --log-format)',
  );
  assertProblem(
    problems,
    'profile must be one of default, lan: current value is "wan" (from RADS_PROFILE)',
  );
});

Deno.test("event handler commands and timeouts are checked", () => {
  const problems = problemsOf(["--on-event", " ", "--on-event-timeout-ms=5"]);
  assertProblem(problems, "onEvent commands must not be empty", "--on-event");
  assertProblem(
    problems,
    "on_event_timeout_ms must be between 100 and 3600000: current value is 5",
  );
});

Deno.test("a control API off loopback without a token refuses to start", () => {
  assert.deepEqual(problemsOf(["--control", "0.0.0.0:7947"]), [
    'Cannot start node as control on an address other than loopback needs a control token (--control-token-file or --control-token): current value is "0.0.0.0:7947" (from --control)',
  ]);
  assertProblem(problemsOf([], { RADS_CONTROL: "10.0.0.5" }), "RADS_CONTROL");
});

Deno.test("a control API off loopback starts with a token or a token file", () => {
  const flags = ["--control", "0.0.0.0:7947"];
  assert.equal(
    load([...flags, "--control-token", "s3cret"]).controlToken,
    "s3cret",
  );
  const files = { "/run/token": "from-the-file\n" };
  const config = load([...flags], {
    RADS_CONTROL_TOKEN_FILE: "/run/token",
  }, files);
  assert.equal(config.controlToken, "from-the-file");
  assert.equal(config.controlTokenFile, "/run/token");
  assert.deepEqual(validateAgentConfig(config), []);
});

Deno.test("a loopback control API may have a token too", () => {
  const config = load(["--control-token", "t"]);
  assert.equal(config.controlToken, "t");
});

Deno.test("a token and a token file together are refused", () => {
  const problems = problemsOf(
    ["--control-token", "a"],
    { RADS_CONTROL_TOKEN_FILE: "/run/token" },
    { "/run/token": "b" },
  );
  assertProblem(
    problems,
    "controlToken and controlTokenFile are both set: keep one",
    "(from --control-token and RADS_CONTROL_TOKEN_FILE)",
  );
});

Deno.test("an unreadable token file is named, and no other problem follows", () => {
  assert.deepEqual(
    problemsOf(["--control=0.0.0.0", "--control-token-file=/none"]),
    [
      "cannot read control token file /none (from --control-token-file): no such file",
    ],
  );
});

Deno.test("a bad token is refused without showing it", () => {
  for (const token of ["has space", "tab\there", "é"]) {
    const problems = problemsOf(["--control-token", token]);
    assertProblem(problems, "control_token must be 1 to 1024 printable ASCII");
    assert.ok(!problems.join("\n").includes(token), "the token leaked");
  }
  const empty = problemsOf(["--control-token-file=/t"], {}, { "/t": "\n" });
  assertProblem(empty, "control_token must be", "control token file /t");
});

yamlTest("a token of the wrong YAML type is refused without showing it", () => {
  const files = { [FILE]: "control_token: 123456789\n" };
  const problems = problemsOf(["--config", FILE], {}, files);
  assertProblem(problems, "control_token in /etc/rads.yaml must be a string");
  assert.ok(!problems.join("\n").includes("123456789"), "the token leaked");
});

Deno.test("isLoopbackHost() knows the loopback forms and nothing else", () => {
  const loopback = [
    "127.0.0.1",
    "127.1.2.3",
    "localhost",
    "::1",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
  ];
  const other = ["0.0.0.0", "::", "10.0.0.1", "::2", "1::1", "example.com"];
  for (const h of loopback) assert.ok(isLoopbackHost(h), h);
  for (const h of other) assert.ok(!isLoopbackHost(h), h);
});
