/**
 * The operator features on real agents over loopback: metrics, health, the
 * control token (API and CLI), JSON logs, event handlers and `version`.
 */

import assert from "node:assert/strict";
import {
  type AgentProc,
  defaultLauncher,
  freePortBlock,
  type Launcher,
  membersOf,
  spawnAgent,
  stopAgent,
  waitFor,
} from "../../scripts/lib/agents.ts";

const TOKEN = "e2e-token-0123456789";

/**
 * The program under test; run from the sources, the agent also needs to
 * run /bin/sh for its event handlers.
 */
function launcher(): Launcher {
  const base = defaultLauncher();
  // A compiled binary comes with no arguments and needs no permissions.
  if (base.args.length === 0) return base;
  const main = base.args[base.args.length - 1];
  return {
    cmd: base.cmd,
    args: [...base.args.slice(0, -1), "--allow-run=/bin/sh", main],
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const l = launcher();
  const out = await new Deno.Command(l.cmd, {
    args: [...l.args, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    signal: AbortSignal.timeout(15_000),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  } satisfies Outcome;
}

async function get(url: string, token?: string) {
  const headers: Record<string, string> = token
    ? { authorization: `Bearer ${token}` }
    : {};
  try {
    const res = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(2000),
    });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Lines of the handler's output file, or none yet. */
async function readLines(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l);
  } catch {
    return [];
  }
}

/** The agent's stderr as JSON objects; fails on a line that is not one. */
function jsonLog(a: AgentProc): Record<string, unknown>[] {
  return a.log.filter((l) => l.trim()).map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      throw new Error(`not a JSON log line: ${l}`);
    }
  });
}

Deno.test("an agent with a token, JSON logs and event handlers serves operators", async () => {
  const base = freePortBlock(4);
  const dir = await Deno.makeTempDir({ prefix: "rads-ops-" });
  const out = `${dir}/events.txt`;
  const record = `echo "$RADS_EVENT $RADS_MEMBER_NAME ` +
    `prev=$RADS_MEMBER_PREVIOUS_STATE self=$RADS_SELF_NAME ` +
    `tags=$RADS_MEMBER_TAGS" >> ${out}`;
  const slow = `if [ "$RADS_EVENT" = member-left ]; then ` +
    `echo slow handler >&2; sleep 30; fi`;
  const agents: AgentProc[] = [];
  try {
    const n1 = spawnAgent({
      name: "n1",
      udpPort: base,
      controlPort: base + 1,
      launcher: launcher(),
      extraArgs: [
        "--log-format=json",
        "--control-token",
        TOKEN,
        "--on-event",
        record,
        "--on-event",
        slow,
        "--on-event-timeout-ms=500",
      ],
    });
    agents.push(n1);
    const n2 = spawnAgent({
      name: "n2",
      udpPort: base + 2,
      controlPort: base + 3,
      join: [`127.0.0.1:${base}`],
      launcher: launcher(),
      extraArgs: ["--tag", "role=edge"],
    });
    agents.push(n2);
    const metricsUrl = `http://${n1.control}/metrics`;

    // /health needs no token; everything else does.
    await waitFor(
      "n1 healthy",
      async () => (await get(`http://${n1.control}/health`)).status === 200,
      15_000,
    );
    assert.equal((await get(metricsUrl)).status, 401);
    assert.equal((await get(metricsUrl, "wrong")).status, 401);
    assert.equal(await membersOf(n1.control), undefined);

    await waitFor("both see each other", async () => {
      const m = await get(metricsUrl, TOKEN);
      const list = await membersOf(n2.control);
      return m.body.includes('rads_members{state="alive"} 2\n') &&
        list?.filter((x) => x.state === "alive").length === 2;
    }, 15_000);

    const metrics = (await get(metricsUrl, TOKEN)).body;
    assert.match(metrics, /^# TYPE rads_probes_total counter$/m);
    assert.match(metrics, /^rads_packets_received_total [1-9]\d*$/m);
    assert.match(
      metrics,
      /^rads_datagrams_rejected_total\{reason="bad-checksum"\} 0$/m,
    );
    assert.match(
      metrics,
      /^rads_build_info\{version="[^"]+",commit="[^"]+",runtime="[^"]+"\} 1$/m,
    );

    // The CLI sends the token from the flag or the environment.
    const withFlag = await cli([
      "members",
      "--control",
      n1.control,
      "--control-token",
      TOKEN,
    ]);
    assert.equal(withFlag.code, 0, withFlag.stderr);
    assert.match(withFlag.stdout, /^n2 +127\.0\.0\.1:\d+ +alive .*role=edge$/m);
    const withEnv = await cli(["members", "--control", n1.control, "--json"], {
      RADS_CONTROL_TOKEN: TOKEN,
    });
    assert.equal(withEnv.code, 0, withEnv.stderr);
    assert.equal(JSON.parse(withEnv.stdout).length, 2);

    const refused = await cli(["members", "--control", n1.control]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
    assert.match(refused.stderr, /the agent refused the control token/);

    // Handlers heard of n1 itself and of n2 joining.
    await waitFor(
      "handler output for n2",
      async () =>
        (await readLines(out)).some((l) => l.startsWith("member-alive n2")),
      10_000,
    );
    const joined = await readLines(out);
    assert.ok(
      joined.includes("member-alive n1 prev=none self=n1 tags="),
      joined.join("\n"),
    );
    assert.ok(
      joined.includes("member-alive n2 prev=none self=n1 tags=role=edge"),
      joined.join("\n"),
    );

    // n2 leaves: the fast handler records it, the slow one is killed.
    await stopAgent(n2, "SIGTERM");
    await waitFor(
      "handler output for n2 leaving",
      async () =>
        (await readLines(out)).includes(
          "member-left n2 prev=alive self=n1 tags=role=edge",
        ),
      10_000,
    );
    await waitFor(
      "the slow handler to be killed",
      () =>
        jsonLog(n1).some((l) =>
          l.msg === "event handler timed out and was killed"
        ),
      10_000,
    );
    const killed = jsonLog(n1).find((l) =>
      l.msg === "event handler timed out and was killed"
    )!;
    assert.equal(killed.level, "warn");
    assert.equal(killed.stderr, "slow handler");
    assert.equal(killed.node, "n2");

    // Every log line is JSON with a timestamp, a level and a message.
    const lines = jsonLog(n1);
    for (const l of lines) {
      assert.match(String(l.ts), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(String(l.level), /^(debug|info|warn|error)$/);
      assert.equal(typeof l.msg, "string");
    }
    assert.ok(
      lines.some((l) =>
        l.msg === "member state changed" && l.node === "n2" && l.to === "left"
      ),
    );

    // A leave turns /health to 503 until the agent exits.
    const leave = await cli(["leave", "--control", n1.control], {
      RADS_CONTROL_TOKEN: TOKEN,
    });
    assert.equal(leave.code, 0, leave.stderr);
    const health = await get(`http://${n1.control}/health`);
    assert.ok(health.status === 503 || health.status === 0, health.body);
    if (health.status === 503) {
      assert.equal(JSON.parse(health.body).status, "leaving");
    }
    const status = await Promise.race([
      n1.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("n1 did not exit")), 15_000)
      ),
    ]);
    assert.equal(status.code, 0);
  } catch (err) {
    // What the agents and handlers said is most of the diagnosis.
    for (const a of agents) console.error(`${a.name}:\n${a.log.join("\n")}`);
    console.error(`handler output:\n${(await readLines(out)).join("\n")}`);
    throw err;
  } finally {
    await Promise.all(agents.map((a) => stopAgent(a)));
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an agent whose control API is off loopback needs a token", async () => {
  const port = freePortBlock(2);
  const o = await cli([
    "agent",
    "--bind",
    `127.0.0.1:${port}`,
    "--control",
    `0.0.0.0:${port + 1}`,
  ]);
  assert.equal(o.code, 2, o.stderr);
  const lines = o.stderr.trim().split("\n");
  assert.equal(lines.length, 1, o.stderr);
  assert.match(
    lines[0],
    /control on an address other than loopback needs a control token/,
  );
});

Deno.test("rads-node version names the version, commit, runtime and platform", async () => {
  const o = await cli(["version"]);
  assert.equal(o.code, 0, o.stderr);
  assert.match(
    o.stdout.trim(),
    /^rads-node \d+\.\d+\.\d+\S* \(commit [\w.-]+\) (deno|bun|node) \S+ [a-z0-9]+\/[a-z0-9]+$/,
  );

  const json = await cli(["version", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const info = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(info).sort(), [
    "arch",
    "commit",
    "platform",
    "runtime",
    "version",
  ]);
});
