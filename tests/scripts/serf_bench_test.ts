/**
 * The Serf side of the benchmark: log parsing, iptables counter parsing,
 * exact IP-level counting (root with iptables only) and a small real Serf
 * cluster (when `serf` is installed).
 */

import assert from "node:assert/strict";
import {
  firstSeen,
  lastSeen,
  parseSerfLine,
  serfAllSee,
  serfMembers,
  type SerfProc,
  serfPushPullMs,
  serfUnavailable,
  serfViews,
  spawnSerf,
  stopSerf,
  waitSerfReady,
} from "../../scripts/lib/serf.ts";
import {
  NetCounter,
  netcountUnavailable,
  parseCounters,
  rateBetween,
} from "../../scripts/lib/netcount.ts";
import { freeSerfPorts } from "../../scripts/bench_serf.ts";

Deno.test("parseSerfLine reads join, failed, leave and suspicion lines", () => {
  const at = "    2026/12/04 14:07:25 [INFO] ";
  assert.deepEqual(parseSerfLine(at + "serf: EventMemberJoin: n2 127.0.0.1"), {
    member: "n2",
    to: "alive",
    addr: "127.0.0.1",
  });
  assert.equal(
    parseSerfLine(at + "serf: EventMemberFailed: n3 127.0.0.1")?.to,
    "failed",
  );
  assert.equal(
    parseSerfLine(at + "serf: EventMemberLeave: n4 127.0.0.1")?.to,
    "left",
  );
  assert.deepEqual(
    parseSerfLine(at + "memberlist: Suspect n3 has failed, no acks received"),
    { member: "n3", to: "suspect", addr: "" },
  );
  assert.equal(
    parseSerfLine(at + "agent: Received event: member-join"),
    undefined,
  );
  assert.equal(
    parseSerfLine("==> Joining cluster...(replay: false)"),
    undefined,
  );
});

Deno.test("serfPushPullMs scales like memberlist's pushPullScale", () => {
  assert.equal(serfPushPullMs(5), 30_000);
  assert.equal(serfPushPullMs(32), 30_000);
  assert.equal(serfPushPullMs(33), 60_000);
  assert.equal(serfPushPullMs(50), 60_000);
  assert.equal(serfPushPullMs(64), 60_000);
  assert.equal(serfPushPullMs(65), 90_000);
  assert.equal(serfPushPullMs(50, 1000), 2000);
});

Deno.test("parseCounters splits iptables counters by port and protocol", () => {
  const text = [
    "Chain NETCOUNT_1_0 (1 references)",
    "    pkts      bytes target     prot opt in     out     source               destination",
    "      10     1280 RETURN     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp spt:40001",
    "       4      300 RETURN     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40001",
    "       1       78 RETURN     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp spt:40002",
    "       5      400 RETURN     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:40002",
  ].join("\n");
  const r = parseCounters(text, [40001, 40002], 1000);
  assert.deepEqual(r.total, { packets: 20, bytes: 2058 });
  assert.deepEqual(r.udp, { packets: 11, bytes: 1358 });
  assert.deepEqual(r.tcp, { packets: 9, bytes: 700 });
  assert.deepEqual(r.fromPort[40001], { packets: 14, bytes: 1580 });
  assert.deepEqual(r.toPort[40002], { packets: 5, bytes: 400 });
  const z = { ...r, atMs: 3000, total: { packets: 40, bytes: 4058 } };
  const rate = rateBetween(r, z);
  assert.equal(rate.packetsPerSec, 10);
  assert.equal(rate.bytesPerSec, 1000);
});

const noCount = await netcountUnavailable();

Deno.test({
  name: "NetCounter counts UDP datagrams exactly at IP level and cleans up",
  ignore: noCount !== undefined,
  async fn() {
    const base = freeSerfPorts(2, [40000, 44999]);
    const a = Deno.listenDatagram({
      hostname: "127.0.0.1",
      port: base,
      transport: "udp",
    });
    const b = Deno.listenDatagram({
      hostname: "127.0.0.1",
      port: base + 1,
      transport: "udp",
    });
    const c = await NetCounter.open([base, base + 1]);
    try {
      const to = { hostname: "127.0.0.1", port: base + 1, transport: "udp" };
      for (let i = 0; i < 10; i++) {
        await a.send(new Uint8Array(100), to as Deno.NetAddr);
        await b.receive();
      }
      const r = await c.read();
      // 100 bytes of payload + 8 (UDP) + 20 (IPv4) per datagram.
      assert.deepEqual(r.fromPort[base], { packets: 10, bytes: 1280 });
      assert.deepEqual(r.total, { packets: 10, bytes: 1280 });
    } finally {
      await c.close();
      a.close();
      b.close();
    }
    const rules = await new Deno.Command("iptables", {
      args: ["-w", "5", "-S"],
      stdout: "piped",
    }).output();
    assert.doesNotMatch(
      new TextDecoder().decode(rules.stdout),
      new RegExp(c.chain),
    );
  },
});

const noSerf = await serfUnavailable();

Deno.test({
  name: "three Serf agents: join, kill -9 -> failed, SIGINT -> left",
  ignore: noSerf !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const base = freeSerfPorts(6, [40000, 44999]);
    const procs: SerfProc[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const p = spawnSerf({
          name: `t${i + 1}`,
          port: base + i,
          rpcPort: base + 3 + i,
          join: i === 0 ? [] : [`127.0.0.1:${base}`],
        });
        procs.push(p);
        await waitSerfReady(p, 15_000);
      }
      const [t1, t2, t3] = procs;
      await poll(() => serfAllSee(procs, "t3", "alive"), 10_000);
      const members = await serfMembers(t1.rpcPort);
      assert.deepEqual(members?.map((m) => m.name).sort(), ["t1", "t2", "t3"]);
      assert.equal(
        members?.find((m) => m.name === "t2")?.addr,
        `127.0.0.1:${base + 1}`,
      );
      assert.ok(t3.joinStartMs !== undefined && t3.joinStartMs <= t3.readyMs!);
      assert.ok(t3.spawnMs <= t3.joinStartMs);
      const views = await serfViews(procs, 2);
      assert.deepEqual(
        views.map((v) => v?.length),
        [3, 3, 3],
      );
      assert.ok(lastSeen([t1, t2], "t3", ["alive"], 0)! >= t3.joinStartMs!);

      const t0 = Date.now();
      await stopSerf(t3, "SIGKILL");
      await poll(
        () => lastSeen([t1, t2], "t3", ["failed"], t0) !== undefined,
        30_000,
      );
      const failedS = (lastSeen([t1, t2], "t3", ["failed"], t0)! - t0) / 1000;
      assert.ok(failedS > 1 && failedS < 30, `failed after ${failedS} s`);
      assert.ok(
        firstSeen([t1, t2], "t3", ["suspect"], t0)! - t0 < failedS * 1000,
      );
      assert.ok(await serfAllSee([t1, t2], "t3", "failed"));

      const t1s = Date.now();
      await stopSerf(t2, "SIGINT");
      await poll(
        () => lastSeen([t1], "t2", ["left"], t1s) !== undefined,
        15_000,
      );
      await poll(() => serfAllSee([t1], "t2", "left"), 5_000);
    } finally {
      for (const p of procs) await stopSerf(p, "SIGKILL", 5000);
    }
  },
});

async function poll(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
