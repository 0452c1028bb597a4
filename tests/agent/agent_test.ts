/**
 * Agents driven by real timers over the in-memory network: the adapter
 * carries out the core's effects and reports what changes.
 */

import assert from "node:assert/strict";
import { Agent } from "../../src/agent/agent.ts";
import { Logger } from "../../src/agent/log.ts";
import { defaultCoreOptions, type NodeEvent } from "../../src/core/mod.ts";
import { MemoryNetwork } from "../../src/net/memory.ts";

const META = { cpus: 1, memoryMiB: 64, tags: {} };

function startAgents(net: MemoryNetwork, names: string[], lines: string[]) {
  const opts = {
    ...defaultCoreOptions(),
    probeIntervalMs: 100,
    probeTimeoutMs: 40,
    gossipIntervalMs: 30,
    leavePropagateMs: 200,
  };
  return names.map((name) => {
    const transport = net.bind();
    return new Agent(opts, {
      name,
      addr: transport.localAddr,
      meta: META,
      incarnation: 1,
    }, { transport, log: new Logger("info", (l) => lines.push(l)) });
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("Agents over the memory network join, publish events and log one line per change", async () => {
  const net = new MemoryNetwork();
  const lines: string[] = [];
  const [a, b, c] = startAgents(net, ["a", "b", "c"], lines);
  const events: NodeEvent[] = [];
  const sub = a.hub.subscribe();
  (async () => {
    for await (const e of sub) events.push(e.event);
  })();

  try {
    b.join([a.self().addr]);
    c.join([a.self().addr]);
    await until(() =>
      [a, b, c].every((x) =>
        x.members().filter((m) => m.state === "alive").length === 3
      )
    );
    assert.ok(events.some((e) => e.type === "member" && e.member.name === "b"));
    assert.ok(
      lines.some((l) =>
        / info {2}member state changed node=b from=none to=alive/.test(l)
      ),
    );

    await c.leave();
    await until(() =>
      [a, b].every((x) =>
        x.members().find((m) => m.name === "c")?.state === "left"
      )
    );
    assert.ok(lines.some((l) => /node=c from=alive to=left/.test(l)));
    assert.ok(
      !lines.some((l) => / debug /.test(l)),
      "debug lines at info level",
    );
  } finally {
    sub.close();
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  }
});

Deno.test("An agent whose peer goes silent marks it suspect then dead", async () => {
  const net = new MemoryNetwork();
  const lines: string[] = [];
  const [a, b] = startAgents(net, ["a", "b"], lines);
  try {
    b.join([a.self().addr]);
    await until(() =>
      a.members().find((m) => m.name === "b")?.state === "alive"
    );
    net.block(b.self().addr);
    await until(
      () => a.members().find((m) => m.name === "b")?.state === "dead",
      8000,
    );
    const order = lines.filter((l) => /node=b from=/.test(l)).map((l) =>
      l.match(/to=(\w+)/)![1]
    );
    assert.deepEqual(order.slice(-2), ["suspect", "dead"]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
