/**
 * The CLI as a user meets it: bad flags, bad config files, busy ports and a
 * missing agent each give one line, the right exit code and no stack trace.
 */

import assert from "node:assert/strict";
import { defaultLauncher, freePortBlock } from "../../scripts/lib/agents.ts";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], timeoutMs = 15_000): Promise<Outcome> {
  const launcher = defaultLauncher();
  const out = await new Deno.Command(launcher.cmd, {
    args: [...launcher.args, ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

function assertOneLineError(o: Outcome, code: number, pattern: RegExp) {
  assert.equal(o.code, code, `exit code; stderr: ${o.stderr}`);
  const lines = o.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${o.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(o.stderr, /^\s+at /m, "a stack trace leaked");
}

async function tempFile(text: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("rads-node with an unknown command exits 2 with one line", async () => {
  assertOneLineError(await cli(["frobnicate"]), 2, /unknown command/);
});

Deno.test("rads-node agent with an unknown flag exits 2 naming it", async () => {
  assertOneLineError(await cli(["agent", "--bindd", "x"]), 2, /--bindd/);
});

Deno.test("rads-node agent with a bad tag exits 2", async () => {
  assertOneLineError(await cli(["agent", "--tag", "novalue"]), 2, /tag/);
});

Deno.test("rads-node agent with probe timeout above the interval exits 2", async () => {
  const o = await cli([
    "agent",
    "--probe-interval-ms",
    "1000",
    "--probe-timeout-ms",
    "1500",
  ]);
  assertOneLineError(o, 2, /probe_timeout_ms must be below probe_interval_ms/);
});

Deno.test("rads-node agent with a port out of range exits 2", async () => {
  assertOneLineError(
    await cli(["agent", "--bind", "127.0.0.1:70000"]),
    2,
    /70000|port/,
  );
});

Deno.test("rads-node agent with malformed YAML exits 2 naming the file and line", async () => {
  const path = await tempFile("name: n1\nbind: [unclosed\n");
  try {
    const o = await cli(["agent", "--config", path]);
    assert.equal(o.code, 2);
    assert.match(o.stderr, new RegExp(path.replaceAll(".", "\\.")));
    assert.match(o.stderr, /line \d+/);
    assert.doesNotMatch(o.stderr, /^\s+at /m);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("rads-node agent with an unknown config key exits 2 and suggests", async () => {
  const path = await tempFile("probe_intervl_ms: 500\n");
  try {
    const o = await cli(["agent", "--config", path]);
    assertOneLineError(o, 2, /probe_intervl_ms.*probe_interval_ms/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("rads-node agent with a missing config file exits 2 naming it", async () => {
  const o = await cli(["agent", "--config", "/nonexistent/rads.yaml"]);
  assertOneLineError(o, 2, /\/nonexistent\/rads\.yaml/);
});

Deno.test("rads-node agent with an unresolvable seed exits 2", async () => {
  const o = await cli([
    "agent",
    "--bind",
    "127.0.0.1:0",
    "--control",
    "127.0.0.1:0",
    "--join",
    "no-such-host.invalid:7946",
  ]);
  assertOneLineError(o, 2, /no-such-host\.invalid/);
});

Deno.test("rads-node agent on a UDP port already in use exits 1", async () => {
  const port = freePortBlock(2);
  const busy = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port,
    transport: "udp",
  });
  try {
    const o = await cli([
      "agent",
      "--bind",
      `127.0.0.1:${port}`,
      "--control",
      `127.0.0.1:${port + 1}`,
    ]);
    assertOneLineError(o, 1, /in use/);
  } finally {
    busy.close();
  }
});

Deno.test("rads-node members without an agent exits 1 and says where it looked", async () => {
  const port = freePortBlock(1);
  const o = await cli(["members", "--control", `127.0.0.1:${port}`]);
  assertOneLineError(o, 1, new RegExp(`127\\.0\\.0\\.1:${port}`));
});

Deno.test("every command answers --help with exit 0", async () => {
  for (const cmd of ["agent", "members", "join", "leave", "version"]) {
    const o = await cli([cmd, "--help"]);
    assert.equal(o.code, 0, cmd);
    assert.match(o.stdout, /Usage: rads-node/, cmd);
  }
});
