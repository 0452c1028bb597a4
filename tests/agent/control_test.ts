/**
 * The control API over real HTTP on loopback, with an agent on the memory
 * network: the token, /health while running and leaving, and /metrics.
 */

import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { Agent } from "../../src/agent/agent.ts";
import { browserRefusal, startControl } from "../../src/agent/control.ts";
import { Logger } from "../../src/agent/log.ts";
import { defaultCoreOptions } from "../../src/core/mod.ts";
import { MemoryNetwork } from "../../src/net/memory.ts";

async function withControl(
  token: string | undefined,
  fn: (base: string, agent: Agent) => Promise<void>,
): Promise<void> {
  const net = new MemoryNetwork();
  const transport = net.bind();
  const log = new Logger("error", () => {});
  const agent = new Agent(
    { ...defaultCoreOptions(), leavePropagateMs: 300 },
    {
      name: "n1",
      addr: transport.localAddr,
      meta: { cpus: 1, memoryMiB: 64, tags: {} },
      incarnation: 1,
    },
    { transport, log },
  );
  const server = await startControl("127.0.0.1", 0, {
    agent,
    log,
    resolve: (addrs) => Promise.resolve(addrs),
    onLeft: () => {},
    token,
  });
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`, agent);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await agent.stop();
  }
}

async function get(url: string, token?: string) {
  const headers: Record<string, string> = token === undefined
    ? {}
    : { authorization: `Bearer ${token}` };
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: await res.text(),
  };
}

Deno.test("the control API with a token refuses requests without it, except /health", async () => {
  await withControl("s3cret", async (base) => {
    for (const path of ["/v1/members", "/v1/stats", "/metrics", "/nowhere"]) {
      const res = await get(`${base}${path}`);
      assert.equal(res.status, 401, path);
      assert.deepEqual(JSON.parse(res.body), {
        error: "missing or wrong control token",
      });
      assert.equal((await get(`${base}${path}`, "wrong")).status, 401);
      assert.equal((await get(`${base}${path}`, "s3cret!")).status, 401);
    }
    assert.equal((await get(`${base}/v1/members`, "s3cret")).status, 200);
    assert.equal((await get(`${base}/metrics`, "s3cret")).status, 200);
    assert.equal((await get(`${base}/nowhere`, "s3cret")).status, 404);
    assert.equal((await get(`${base}/health`)).status, 200);

    const leave = await fetch(`${base}/v1/leave`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    await leave.body?.cancel();
    assert.equal(leave.status, 401);
  });
});

Deno.test("the control API without a token answers every request", async () => {
  await withControl(undefined, async (base) => {
    assert.equal((await get(`${base}/v1/members`)).status, 200);
    assert.equal((await get(`${base}/metrics`)).status, 200);
  });
});

Deno.test("/health is 200 while running and 503 once a leave has started", async () => {
  await withControl(undefined, async (base, agent) => {
    const ok = await get(`${base}/health`);
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { status: "ok", node: "n1" });

    const left = agent.leave();
    const leaving = await get(`${base}/health`);
    assert.equal(leaving.status, 503);
    assert.equal(JSON.parse(leaving.body).status, "leaving");
    await left;
  });
});

Deno.test("/metrics answers in the Prometheus text format", async () => {
  await withControl(undefined, async (base) => {
    const res = await get(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.type ?? "", /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^# HELP rads_members /m);
    assert.match(res.body, /^rads_members\{state="alive"\} 1$/m);
    assert.match(res.body, /^rads_uptime_seconds \d/m);
    assert.match(
      res.body,
      /^rads_build_info\{version="[^"]+",commit="[^"]+",runtime="deno [^"]+"\} 1$/m,
    );
  });
});

Deno.test("browserRefusal() turns away what a web page could send", () => {
  const req = (headers: Record<string, string>, method = "GET") =>
    ({ headers, method }) as unknown as Parameters<typeof browserRefusal>[0];

  assert.equal(browserRefusal(req({ host: "127.0.0.1:7947" })), undefined);
  assert.equal(browserRefusal(req({ host: "[::1]:7947" })), undefined);
  assert.equal(browserRefusal(req({ host: "localhost:7947" })), undefined);
  assert.match(
    browserRefusal(req({ host: "127.0.0.1:7947", origin: "http://evil" }))!,
    /web pages/,
  );
  assert.match(browserRefusal(req({ host: "evil.example:7947" }))!, /Host/);
  assert.match(
    browserRefusal(
      req({ host: "127.0.0.1", "content-type": "text/plain" }, "POST"),
    )!,
    /application\/json/,
  );
  assert.equal(
    browserRefusal(
      req({ host: "127.0.0.1", "content-type": "application/json" }, "POST"),
    ),
    undefined,
  );
});
