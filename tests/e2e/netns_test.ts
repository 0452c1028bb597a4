/**
 * Real separate hosts: five network namespaces on one bridge, each with its
 * own address, each running the program. Cutting one host's link makes it
 * DEAD on the others. Needs root and iproute2; skips with a message if not.
 */

import assert from "node:assert/strict";
import { defaultLauncher, waitFor } from "../../scripts/lib/agents.ts";

const HOSTS = 5;
const TAG = `r${Deno.pid % 10000}`;
const BRIDGE = `br-${TAG}`;
const ns = (i: number) => `rads-${TAG}-${i}`;
const hostVeth = (i: number) => `v${TAG}h${i}`;
const addr = (i: number) => `10.213.${(Deno.pid % 200) + 1}.${i}`;

async function sh(...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const r = await new Deno.Command(args[0], {
      args: args.slice(1),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { ok: r.success, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
  } catch (err) {
    return { ok: false, out: String(err) };
  }
}

async function must(...args: string[]): Promise<void> {
  const r = await sh(...args);
  if (!r.ok) throw new Error(`${args.join(" ")}: ${r.out.trim()}`);
}

/** Why namespaces cannot be used here, or undefined if they can. */
async function unavailable(): Promise<string | undefined> {
  if (Deno.uid() !== 0) return "not running as root";
  const probe = `rads-probe-${Deno.pid}`;
  const r = await sh("ip", "netns", "add", probe);
  if (!r.ok) return `cannot create network namespaces: ${r.out.trim()}`;
  await sh("ip", "netns", "del", probe);
  return undefined;
}

async function setUp(): Promise<void> {
  await must("ip", "link", "add", BRIDGE, "type", "bridge");
  await must("ip", "link", "set", BRIDGE, "up");
  for (let i = 1; i <= HOSTS; i++) {
    await must("ip", "netns", "add", ns(i));
    await must(
      "ip",
      "link",
      "add",
      hostVeth(i),
      "type",
      "veth",
      "peer",
      "name",
      "eth0",
      "netns",
      ns(i),
    );
    await must("ip", "link", "set", hostVeth(i), "master", BRIDGE, "up");
    const inNs = ["ip", "netns", "exec", ns(i)];
    await must(...inNs, "ip", "addr", "add", `${addr(i)}/24`, "dev", "eth0");
    await must(...inNs, "ip", "link", "set", "eth0", "up");
    await must(...inNs, "ip", "link", "set", "lo", "up");
  }
}

async function tearDown(): Promise<void> {
  for (let i = 1; i <= HOSTS; i++) {
    await sh("ip", "link", "del", hostVeth(i));
    await sh("ip", "netns", "del", ns(i));
  }
  await sh("ip", "link", "del", BRIDGE);
}

/** The state host `observer` holds `name` in, via the CLI in its namespace. */
async function stateOn(observer: number, name: string): Promise<string> {
  const l = defaultLauncher();
  const r = await sh(
    "ip",
    "netns",
    "exec",
    ns(observer),
    l.cmd,
    ...l.args,
    "members",
    "--json",
  );
  if (!r.ok) return "unreachable";
  try {
    const list = JSON.parse(r.out) as { name: string; state: string }[];
    return list.find((m) => m.name === name)?.state ?? "unknown";
  } catch {
    return "unreadable";
  }
}

const reason = await unavailable();
if (reason) console.log(`netns test skipped: ${reason}`);

Deno.test({
  name:
    "five hosts in network namespaces form a cluster; a cut link makes one dead",
  ignore: reason !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const procs: Deno.ChildProcess[] = [];
    try {
      await setUp();
      const l = defaultLauncher();
      for (let i = 1; i <= HOSTS; i++) {
        const args = [
          "netns",
          "exec",
          ns(i),
          l.cmd,
          ...l.args,
          "agent",
          "--name",
          `h${i}`,
          "--bind",
          `${addr(i)}:7946`,
          ...(i === 1 ? [] : ["--join", `${addr(1)}:7946`]),
        ];
        procs.push(
          new Deno.Command("ip", {
            args,
            stdout: "null",
            stderr: "null",
            env: { NO_COLOR: "1" },
          }).spawn(),
        );
      }

      await waitFor(
        "all five hosts alive everywhere",
        async () => {
          for (let o = 1; o <= HOSTS; o++) {
            for (let s = 1; s <= HOSTS; s++) {
              if (await stateOn(o, `h${s}`) !== "alive") return false;
            }
          }
          return true;
        },
        30_000,
        300,
      );

      // Cut h3's link on the bridge side: its datagrams go nowhere.
      await must("ip", "link", "set", hostVeth(3), "down");
      await waitFor(
        "h3 dead on the other hosts",
        async () => {
          for (const o of [1, 2, 4, 5]) {
            if (await stateOn(o, "h3") !== "dead") return false;
          }
          return true;
        },
        30_000,
        300,
      );
      assert.equal(await stateOn(1, "h2"), "alive");
    } finally {
      for (const p of procs) {
        try {
          p.kill("SIGKILL");
        } catch {
          // Already gone.
        }
        await p.status;
      }
      await tearDown();
    }
  },
});
