import assert from "node:assert/strict";
import example from "../../examples/rads.yaml" with { type: "text" };
import {
  assertProblem,
  type Env,
  type Files,
  load,
  problemsOf,
  YAML_CAN_PARSE,
  yamlTest,
} from "./_helpers.ts";

const FILE = "/etc/rads.yaml";
const withFile = (text: string): [string[], Env, Files] => [
  ["--config", FILE],
  {},
  { [FILE]: text },
];

yamlTest("the example config loads and validates", () => {
  const config = load(["--config", "rads.yaml"], {}, { "rads.yaml": example });
  assert.equal(config.name, "edge-1");
  assert.equal(config.advertise, "10.0.0.5:7946");
  assert.deepEqual(config.join, [
    "10.0.0.2:7946",
    "seed.example.internal:7946",
    "[fd00::3]:7946",
  ]);
  assert.deepEqual(config.tags, {
    zone: "eu-west-1a",
    role: "gateway",
    rack: "12",
  });
  assert.equal(config.core.probeIntervalMs, 500);
});

yamlTest("a YAML file sets every key in snake case", () => {
  const config = load(...withFile(`
name: n1
bind: 10.0.0.1:7000
advertise: 192.0.2.1:7000
join: seed1:7946
tags: { up: true, n: 3 }
control: 127.0.0.1:9000
log_level: warn
probe_interval_ms: 1000
probe_timeout_ms: 400
`));
  assert.equal(config.name, "n1");
  assert.equal(config.bind, "10.0.0.1:7000");
  assert.equal(config.advertise, "192.0.2.1:7000");
  assert.deepEqual(config.join, ["seed1:7946"]);
  assert.deepEqual(config.tags, { up: "true", n: "3" });
  assert.equal(config.control, "127.0.0.1:9000");
  assert.equal(config.logLevel, "warn");
  assert.equal(config.core.probeIntervalMs, 1000);
  assert.equal(config.core.probeTimeoutMs, 400);
});

yamlTest("an empty YAML file or an empty value changes nothing", () => {
  assert.equal(load(...withFile("")).name, "host-a");
  assert.equal(load(...withFile("# nothing yet\n")).name, "host-a");
  assert.equal(load(...withFile("advertise:\ntags:\n")).advertise, undefined);
});

yamlTest("an unknown YAML key is named with the closest known key", () => {
  assert.deepEqual(problemsOf(...withFile("probe_intervl_ms: 500\n")), [
    'unknown key "probe_intervl_ms" in /etc/rads.yaml (did you mean "probe_interval_ms"?)',
  ]);
  assert.deepEqual(problemsOf(...withFile("logLevel: info\n")), [
    'unknown key "logLevel" in /etc/rads.yaml (did you mean "log_level"?)',
  ]);
  assert.deepEqual(problemsOf(...withFile("colour: blue\n")), [
    'unknown key "colour" in /etc/rads.yaml',
  ]);
});

yamlTest("malformed YAML gives one line with the file and line number", () => {
  const problems = problemsOf(
    ...withFile("name: a\njoin: [a:1, b:2\nbind: x\n"),
  );
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /^cannot parse config file \/etc\/rads\.yaml: line 3: /,
  );

  assertProblem(
    problemsOf(...withFile("name: a\nname: b\n")),
    "/etc/rads.yaml: line 2: map keys must be unique",
  );
  assertProblem(
    problemsOf(...withFile("name: a\n\tbind: x\n")),
    "/etc/rads.yaml: line 2",
  );
});

yamlTest("a YAML file whose top level is not a mapping is refused", () => {
  assert.deepEqual(problemsOf(...withFile("- name: a\n")), [
    "Cannot start node as config file /etc/rads.yaml must hold a mapping of keys to values: current value is a list",
  ]);
  assertProblem(problemsOf(...withFile("just text\n")), '"just text"');
});

yamlTest("a wrong YAML type names the key and the expected type", () => {
  assert.deepEqual(problemsOf(...withFile("probe_interval_ms: fast\n")), [
    'Cannot start node as probe_interval_ms in /etc/rads.yaml must be an integer: current value is "fast"',
  ]);
  assertProblem(
    problemsOf(...withFile("name: [a, b]\n")),
    "name in /etc/rads.yaml must be a string: current value is a list",
  );
  assertProblem(
    problemsOf(...withFile("join: {a: 1}\n")),
    "join in /etc/rads.yaml must be a list of strings (or one string)",
  );
  assertProblem(
    problemsOf(...withFile("tags: [a=1]\n")),
    "tags in /etc/rads.yaml must be a mapping of KEY: VALUE",
  );
  assertProblem(
    problemsOf(...withFile("tags:\n  zone:\n    nested: 1\n")),
    "tags.zone in /etc/rads.yaml must be a string, number or boolean",
  );
});

yamlTest("YAML values are validated and named by their key", () => {
  assertProblem(
    problemsOf(...withFile("probe_interval_ms: 1.5\n")),
    "probe_interval_ms must be an integer: current value is 1.5",
    "(from probe_interval_ms in /etc/rads.yaml)",
  );
  assertProblem(
    problemsOf(...withFile("tags:\n  bad key: 1\n")),
    "(from tags.bad key in /etc/rads.yaml)",
  );
});

Deno.test("a missing config file is named", () => {
  assert.deepEqual(problemsOf(["--config", "/nope.yaml"]), [
    "cannot read config file /nope.yaml: no such file",
  ]);
  assertProblem(
    problemsOf([], { RADS_CONFIG: "/also-nope.yaml" }),
    "cannot read config file /also-nope.yaml",
  );
});

Deno.test("a missing config file is reported with the other problems", () => {
  const problems = problemsOf(["--config", "/nope.yaml", "--gossip-fanout=0"]);
  assert.equal(problems.length, 2);
});

yamlTest("an unresolved YAML alias is one line, not an exception", () => {
  assertProblem(
    problemsOf(...withFile("name: *missing\n")),
    "cannot parse config file /etc/rads.yaml",
  );
});

Deno.test("YAML tests run with env access for the yaml package", () => {
  assert.ok(
    YAML_CAN_PARSE,
    "the yaml package reads LOG_TOKENS and LOG_STREAM: run the tests with " +
      "--allow-env=LOG_TOKENS,LOG_STREAM (deno task test does)",
  );
});

Deno.test({
  name: "YAML without env access is one clear line, not an exception",
  ignore: YAML_CAN_PARSE,
  fn() {
    assert.deepEqual(problemsOf(...withFile("name: a\n")), [
      "cannot parse config file /etc/rads.yaml: the YAML parser needs --allow-env (at least --allow-env=LOG_TOKENS,LOG_STREAM)",
    ]);
  },
});
