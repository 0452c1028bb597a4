/**
 * Five agents as separate processes on 127.0.0.1 over real UDP: they
 * converge, find a crash, record a leave, accept a restart and survive
 * garbage. Waits are bounded; timing goals live in the benchmark.
 */

import assert from "node:assert/strict";
import {
  type AgentProc,
  allSee,
  converged,
  freePortBlock,
  membersOf,
  spawnAgent,
  stopAgent,
  waitFor,
} from "../../scripts/lib/agents.ts";
import { seededRandom } from "../../src/sim/prng.ts";
import { encodeFrame, type Message } from "../../src/wire/mod.ts";

const NAMES = ["n1", "n2", "n3", "n4", "n5"];

Deno.test({
  name:
    "five agents over real UDP converge, detect a crash, a leave, a restart and survive garbage",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    // Ports: base+i for UDP and base+10+i for control, i = 0..5.
    const base = freePortBlock(20);
    const seed = `127.0.0.1:${base}`;
    const agents = new Map<string, AgentProc>();
    const start = (name: string, i: number, udpOffset = i) =>
      agents.set(
        name,
        spawnAgent({
          name,
          udpPort: base + udpOffset,
          controlPort: base + 10 + i,
          join: name === "n1" ? [] : [seed],
          extraArgs: ["--tag", `role=e2e-${name}`],
        }),
      );
    const live = (...except: string[]) =>
      [...agents.values()].filter((a) => !except.includes(a.name));

    try {
      // Joiners first, seed last: they retry until it answers.
      for (let i = NAMES.length - 1; i >= 0; i--) start(NAMES[i], i);

      await t.step("they converge: everyone sees everyone alive", async () => {
        await waitFor("convergence", () => converged(live(), NAMES), 20_000);
        const list = await membersOf(agents.get("n2")!.control);
        const n5 = list?.find((m) => m.name === "n5");
        assert.deepEqual(n5?.tags, { role: "e2e-n5" });
        assert.ok((n5?.cpus ?? 0) > 0, "resources are detected");
      });

      await t.step(
        "kill -9 makes a node suspect, then dead, on all others",
        async () => {
          await stopAgent(agents.get("n3")!, "SIGKILL");
          const others = live("n3");
          await waitFor(
            "n3 suspect everywhere",
            async () => {
              const views = await Promise.all(
                others.map((o) => membersOf(o.control)),
              );
              // Each observer must pass through suspect; dead may already follow.
              return views.every((v) => {
                const s = v?.find((m) => m.name === "n3")?.state;
                return s === "suspect" || s === "dead";
              });
            },
            20_000,
            50,
          );
          await waitFor(
            "n3 dead everywhere",
            () => allSee(others, "n3", "dead"),
            30_000,
          );
          for (const o of others) {
            assert.ok(
              o.log.some((l) => /node=n3 from=alive to=suspect/.test(l)),
              `${o.name} logged no suspicion of n3`,
            );
          }
        },
      );

      await t.step(
        "SIGTERM makes a node leave: left on all others, exit 0",
        async () => {
          const status = await stopAgent(agents.get("n4")!, "SIGTERM");
          assert.equal(status.code, 0);
          await waitFor(
            "n4 left everywhere",
            () => allSee(live("n3", "n4"), "n4", "left"),
            10_000,
          );
          agents.delete("n4");
        },
      );

      await t.step(
        "the killed node restarted on a new port is alive everywhere",
        async () => {
          agents.delete("n3");
          start("n3", 2, 7);
          const addr = `127.0.0.1:${base + 7}`;
          await waitFor(
            "n3 alive at its new address everywhere",
            () => allSee(live(), "n3", "alive", addr),
            20_000,
          );
        },
      );

      await t.step(
        "10,000 random and mutated datagrams leave the target alive",
        async () => {
          const target = agents.get("n1")!;
          await sendGarbage(target.udpPort, 10_000);

          await new Promise((r) => setTimeout(r, 2000));
          assert.ok(await allSee(live(), "n1", "alive"));
          const stats = await (await fetch(
            `http://${target.control}/v1/stats`,
          )).json();
          const dropped = Object.values(stats.drops as Record<string, number>)
            .reduce((a, b) => a + b, 0);
          assert.ok(
            dropped >= 9_000,
            `only ${dropped} datagrams were rejected`,
          );
        },
      );
    } finally {
      await Promise.all([...agents.values()].map((a) => stopAgent(a)));
    }
  },
});

/** Sends `count` datagrams: random bytes, and valid frames with damage. */
async function sendGarbage(port: number, count: number): Promise<void> {
  const random = seededRandom(42);
  const sock = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port: 0,
    transport: "udp",
  });
  const samples: Message[] = [
    { type: "ping", seq: 1, from: "x", target: "n1" },
    { type: "suspect", name: "n1", incarnation: 1, by: "x" },
    {
      type: "alive",
      name: "ghost",
      incarnation: 9,
      addr: "127.0.0.1:1",
      meta: { cpus: 1, memoryMiB: 1, tags: {} },
    },
  ];
  try {
    for (let i = 0; i < count; i++) {
      const bytes = i % 2 === 0
        ? randomBytes(random)
        : mutate(encodeFrame([samples[i % samples.length]]), random);
      await sock.send(bytes, { transport: "udp", hostname: "127.0.0.1", port });
      // Pace a little so the test measures robustness, not buffer overflow.
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    sock.close();
  }
}

function randomBytes(random: () => number): Uint8Array {
  const out = new Uint8Array(1 + Math.floor(random() * 1500));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
  // Half keep our magic and version, to reach the deeper checks.
  if (random() < 0.5 && out.length > 3) out.set([0x52, 0x44, 1, 0]);
  return out;
}

function mutate(frame: Uint8Array, random: () => number): Uint8Array {
  const out = frame.slice(
    0,
    Math.max(1, Math.floor(random() * frame.length) + 1),
  );
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++) {
    out[Math.floor(random() * out.length)] ^= 1 << Math.floor(random() * 8);
  }
  return out;
}
