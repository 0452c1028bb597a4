import assert from "node:assert/strict";
import { defaultCoreOptions } from "../../src/core/options.ts";
import { defaultAgentConfig, loadAgentConfig } from "../../src/config/mod.ts";
import { fakeReader, load, yamlTest } from "./_helpers.ts";

const FILE = "/etc/rads.yaml";

Deno.test("loadAgentConfig() with no input gives the defaults", () => {
  assert.deepEqual(load([]), {
    name: "host-a",
    bind: "0.0.0.0:7946",
    join: [],
    tags: {},
    control: "127.0.0.1:7947",
    logLevel: "info",
    logFormat: "text",
    profile: "default",
    onEvent: [],
    onEventTimeoutMs: 10_000,
    core: defaultCoreOptions(),
  });
  assert.deepEqual(load([]), defaultAgentConfig("host-a"));
});

Deno.test("loadAgentConfig() returns help for -h and --help", () => {
  const input = { env: {}, readTextFile: fakeReader({}), hostname: "h" };
  assert.deepEqual(loadAgentConfig({ ...input, argv: ["-h"] }), { help: true });
  assert.deepEqual(
    loadAgentConfig({ ...input, argv: ["--name", "x", "--help"] }),
    { help: true },
  );
});

Deno.test("loadAgentConfig() help reads neither environment nor file", () => {
  const result = loadAgentConfig({
    argv: ["--help"],
    env: { RADS_CONFIG: "/missing.yaml", RADS_GOSSIP_FANOUT: "many" },
    readTextFile: fakeReader({}),
    hostname: "h",
  });
  assert.deepEqual(result, { help: true });
});

yamlTest(
  "loadAgentConfig() lets flags beat env, env beat file, file beat defaults",
  () => {
    const files = { [FILE]: "name: from-file\nprobe_interval_ms: 700\n" };
    const env = { RADS_NAME: "from-env", RADS_PROBE_INTERVAL_MS: "800" };
    const flags = ["--name", "from-flag", "--probe-interval-ms", "900"];
    const withFile = ["--config", FILE];

    assert.equal(load([]).name, "host-a");
    assert.equal(load(withFile, {}, files).name, "from-file");
    assert.equal(load(withFile, env, files).name, "from-env");
    assert.equal(load([...withFile, ...flags], env, files).name, "from-flag");

    assert.equal(load([]).core.probeIntervalMs, 500);
    assert.equal(load(withFile, {}, files).core.probeIntervalMs, 700);
    assert.equal(load(withFile, env, files).core.probeIntervalMs, 800);
    assert.equal(
      load([...withFile, ...flags], env, files).core.probeIntervalMs,
      900,
    );
  },
);

yamlTest("loadAgentConfig() applies precedence per key, not per source", () => {
  const files = { [FILE]: "bind: 10.0.0.1:7000\ncontrol: 127.0.0.1:9000\n" };
  const config = load(
    ["--config", FILE, "--control", "127.0.0.1:9100"],
    { RADS_LOG_LEVEL: "debug" },
    files,
  );
  assert.equal(config.bind, "10.0.0.1:7000");
  assert.equal(config.control, "127.0.0.1:9100");
  assert.equal(config.logLevel, "debug");
});

yamlTest(
  "loadAgentConfig() merges tags, the higher source winning per key",
  () => {
    const files = {
      [FILE]: "tags:\n  zone: file-zone\n  rack: 7\n  role: file-role\n",
    };
    const env = { RADS_TAGS: "zone=env-zone,role=env-role" };
    const config = load(
      ["--config", FILE, "--tag", "role=flag-role", "--tag", "extra=1"],
      env,
      files,
    );
    assert.deepEqual(config.tags, {
      zone: "env-zone",
      rack: "7",
      role: "flag-role",
      extra: "1",
    });
  },
);

yamlTest(
  "loadAgentConfig() lets a higher join list replace a lower one",
  () => {
    const files = { [FILE]: "join: [a:1, b:2]\n" };
    assert.deepEqual(load(["--config", FILE], {}, files).join, ["a:1", "b:2"]);
    assert.deepEqual(
      load(["--config", FILE], { RADS_JOIN: "c:3, d:4," }, files).join,
      ["c:3", "d:4"],
    );
    assert.deepEqual(
      load(["--config", FILE, "--join", "e:5,f:6", "--join", "g:7"], {}, files)
        .join,
      ["e:5", "f:6", "g:7"],
    );
  },
);

Deno.test("loadAgentConfig() ignores empty environment variables", () => {
  const config = load([], {
    RADS_NAME: "",
    RADS_JOIN: "",
    RADS_PROBE_INTERVAL_MS: " ",
    RADS_CONFIG: "",
    RADS_TAGS: undefined,
  });
  assert.deepEqual(config, defaultAgentConfig("host-a"));
});

Deno.test("loadAgentConfig() reads every core option from flags and env", () => {
  const flags = [
    "--probe-interval-ms=1000",
    "--probe-timeout-ms=300",
    "--indirect-checks=0",
    "--gossip-interval-ms=100",
    "--gossip-fanout=4",
    "--suspicion-mult=5",
    "--suspicion-max-mult=3",
    "--retransmit-mult=6",
    "--push-pull-interval-ms=0",
    "--reap-after-ms=0",
    "--max-packet-bytes=512",
  ];
  const env = {
    RADS_JOIN_RETRY_MIN_MS: "100",
    RADS_JOIN_RETRY_MAX_MS: "100",
    RADS_LEAVE_PROPAGATE_MS: "0",
  };
  assert.deepEqual(load(flags, env).core, {
    probeIntervalMs: 1000,
    probeTimeoutMs: 300,
    indirectChecks: 0,
    gossipIntervalMs: 100,
    gossipFanout: 4,
    suspicionMult: 5,
    suspicionMaxMult: 3,
    retransmitMult: 6,
    pushPullIntervalMs: 0,
    reapAfterMs: 0,
    maxPacketBytes: 512,
    joinRetryMinMs: 100,
    joinRetryMaxMs: 100,
    leavePropagateMs: 0,
  });
});

yamlTest(
  "loadAgentConfig() takes the file from --config before RADS_CONFIG",
  () => {
    const files = { "/a.yaml": "name: a\n", "/b.yaml": "name: b\n" };
    assert.equal(load([], { RADS_CONFIG: "/b.yaml" }, files).name, "b");
    assert.equal(
      load(["--config", "/a.yaml"], { RADS_CONFIG: "/b.yaml" }, files).name,
      "a",
    );
  },
);

Deno.test("loadAgentConfig() fills in default ports", () => {
  const config = load([
    "--bind",
    "[::]",
    "--control",
    "localhost",
    "--join",
    "seed1,[fd00::2],seed3:8000",
    "--advertise",
    "10.0.0.5",
  ]);
  assert.equal(config.bind, "[::]:7946");
  assert.equal(config.control, "localhost:7947");
  assert.deepEqual(config.join, [
    "seed1:7946",
    "[fd00::2]:7946",
    "seed3:8000",
  ]);
  assert.equal(config.advertise, "10.0.0.5:7946");
});

Deno.test("loadAgentConfig() gives advertise the bind port when it has none", () => {
  const config = load(["--bind", "0.0.0.0:8100", "--advertise", "edge-1"]);
  assert.equal(config.advertise, "edge-1:8100");
});

Deno.test("loadAgentConfig() accepts port 0 for bind and control", () => {
  const config = load(["--bind", "127.0.0.1:0", "--control", "127.0.0.1:0"]);
  assert.equal(config.bind, "127.0.0.1:0");
  assert.equal(config.control, "127.0.0.1:0");
});

Deno.test("loadAgentConfig() warns of RADS_* variables that name no setting", () => {
  const result = loadAgentConfig({
    argv: [],
    env: { RADS_PROBE_INTERVAL: "100", RADS_NAME: "n", HOME: "/root" },
    readTextFile: fakeReader({}),
    hostname: "h",
  });
  assert.equal(result.help, false);
  assert.deepEqual((result as { warnings: string[] }).warnings, [
    "unknown environment variable RADS_PROBE_INTERVAL ignored (did you mean RADS_PROBE_INTERVAL_MS?)",
  ]);
});
