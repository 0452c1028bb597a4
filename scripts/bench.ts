/**
 * Real-process benchmark: N agents on loopback, repeated kills, leaves and
 * joins, timed from the agents' own event timestamps; idle traffic, CPU and
 * memory per node.
 *
 *   deno task bench [--nodes 5,20,50] [--kills 20] [--leaves 10] [--idle-s 10]
 *                   [--profile lan|default] [--no-serf]
 *                   [--out bench/results/latest.json]
 *
 * With serf installed (apt-get install -y serf; installed here, with
 * iptables for the traffic counters, when missing and running as root),
 * each cluster size is measured for rads-node and then
 * for the same number of `serf agent`s, in turns, and the ratios printed.
 *
 * @module
 */

import { scriptFlags } from "./lib/script_args.ts";
import {
  type AgentProc,
  converged,
  freePortBlock,
  spawnAgent,
  stopAgent,
  waitFor,
} from "./lib/agents.ts";
import { EventLog } from "./lib/watch_events.ts";
import { procUsage, summarize, type Summary } from "./lib/stats.ts";
import {
  measureIdle,
  printSerfTable,
  runSerf,
  type SerfRunResult,
} from "./bench_serf.ts";
import { serfUnavailable } from "./lib/serf.ts";
import { ensureCommands } from "./lib/apt.ts";

interface RunResult {
  tool: "rads-node";
  profile: string;
  nodes: number;
  suspectEverywhereS: Summary;
  deadEverywhereS: Summary;
  leftEverywhereS: Summary;
  joinEverywhereS: Summary;
  idle: {
    packetsPerSecPerNode: number;
    bytesPerSecPerNode: number;
    payloadBytesPerSecPerNode: number;
    cpuPercentPerNode: number;
    rssMiBPerNode: number;
  };
}

const USAGE =
  `Usage: deno task bench [--nodes 5,20,50] [--kills 20] [--leaves 10]
                       [--idle-s 10] [--profile lan|default] [--no-serf]
                       [--out bench/results/latest.json]

Starts N agents as separate processes on loopback; kills, restarts and
leaves repeatedly; measures detection, leave and join times, idle traffic
(iptables, as root), CPU and memory; then the same for N Serf agents
(LAN profile), in turns, and prints the ratios. As root it installs serf
and iptables with apt-get when they are missing.
`;

const flags = scriptFlags("bench", USAGE, {
  nodes: { type: "string", default: "5,20,50" },
  profile: { type: "string", default: "lan" },
  "no-serf": { type: "boolean" },
  kills: { type: "string", default: "20" },
  leaves: { type: "string", default: "10" },
  "idle-s": { type: "string", default: "10" },
  out: { type: "string", default: "bench/results/latest.json" },
});

/** A cluster of agents under test, with an event log over all of them. */
class Bench {
  agents = new Map<string, AgentProc>();
  events = new EventLog();
  #base: number;
  #nextUdp: number;
  #nextControl: number;

  constructor(readonly n: number) {
    // Room for the first run of each node plus every restart.
    this.#base = freePortBlock(2 * n + 200);
    this.#nextUdp = this.#base;
    this.#nextControl = this.#base + n + 100;
  }

  get seed(): string {
    return `127.0.0.1:${this.#base}`;
  }

  async start(name: string): Promise<AgentProc> {
    const a = spawnAgent({
      name,
      udpPort: this.#nextUdp++,
      controlPort: this.#nextControl++,
      join: name === "n1" ? [] : [this.seed],
      extraArgs: ["--profile", flags.profile!],
    });
    this.agents.set(name, a);
    await this.events.follow(name, a.control);
    return a;
  }

  others(except: string): string[] {
    return [...this.agents.keys()].filter((n) => n !== except);
  }

  async stop(name: string, signal: Deno.Signal): Promise<void> {
    const a = this.agents.get(name)!;
    this.agents.delete(name);
    await stopAgent(a, signal);
    this.events.unfollow(name);
  }

  async close(): Promise<void> {
    this.events.close();
    await Promise.all([...this.agents.values()].map((a) => stopAgent(a)));
  }
}

/** Waits until every observer saw `member` reach one of `states`. */
function everywhere(
  b: Bench,
  member: string,
  states: string[],
  sinceMs: number,
  timeoutMs: number,
): Promise<number> {
  const observers = b.others(member);
  let last = 0;
  return waitFor(
    `${member} ${states.join("/")} everywhere`,
    () => {
      const times = observers.map((o) =>
        b.events.changes.find((c) =>
          c.observer === o && c.member === member && states.includes(c.to) &&
          c.atMs >= sinceMs
        )?.atMs
      );
      if (times.some((t) => t === undefined)) return false;
      last = Math.max(...(times as number[]));
      return true;
    },
    timeoutMs,
    50,
  ).then(() => (last - sinceMs) / 1000);
}

/** Restarts `name` and returns seconds from its first join to everywhere. */
async function rejoin(b: Bench, name: string): Promise<number> {
  const since = Date.now();
  const a = await b.start(name);
  await everywhere(b, name, ["alive"], since, 30_000);

  // Count from the moment the agent began to join, not from process start.
  const line = a.log.find((l) => / joining /.test(l));
  const joinedAt = line ? Date.parse(line.split(" ")[0]) : since;
  const last = b.events.changes
    .filter((c) => c.member === name && c.to === "alive" && c.atMs >= since)
    .reduce((m, c) => Math.max(m, c.atMs), 0);
  return (last - joinedAt) / 1000;
}

async function idleFigures(b: Bench, seconds: number) {
  // Counted at IP level on the agents' UDP ports, as for Serf; the core's
  // own counters are kept as a cross-check of the payload.
  const agents = [...b.agents.values()];
  const before = await Promise.all(agents.map(sample));
  const ip = await measureIdle(
    agents.map((a) => a.udpPort),
    agents.map((a) => a.child.pid),
    seconds,
  );
  const after = await Promise.all(agents.map(sample));
  const payload = after.reduce(
    (sum, z, i) => sum + (z.bytes - before[i].bytes) / seconds,
    0,
  ) / after.length;
  return { ...ip, payloadBytesPerSecPerNode: payload };
}

interface Sample {
  packets: number;
  bytes: number;
  cpuS: number;
  rssMiB: number;
}

async function sample(a: AgentProc): Promise<Sample> {
  const stats = await (await fetch(`http://${a.control}/v1/stats`)).json();
  const usage = procUsage(a.child.pid);
  return {
    packets: stats.packetsOut,
    bytes: stats.bytesOut,
    cpuS: usage.cpuS,
    rssMiB: usage.rssMiB,
  };
}

async function runOne(
  n: number,
  kills: number,
  leaves: number,
  idleS: number,
): Promise<RunResult> {
  const b = new Bench(n);
  const names = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const suspect: number[] = [], dead: number[] = [];
  const left: number[] = [], join: number[] = [];
  try {
    for (const name of names) await b.start(name);
    await waitFor(
      "convergence",
      () => converged([...b.agents.values()], names),
      60_000,
    );
    console.error(`n=${n}: converged; measuring idle for ${idleS} s`);
    const idle = await idleFigures(b, idleS);

    for (let k = 0; k < kills; k++) {
      const victim = names[1 + Math.floor(Math.random() * (n - 1))];
      const t0 = Date.now();
      await b.stop(victim, "SIGKILL");
      suspect.push(
        await everywhere(b, victim, ["suspect", "dead"], t0, 30_000),
      );
      dead.push(await everywhere(b, victim, ["dead"], t0, 40_000));
      join.push(await rejoin(b, victim));
      console.error(
        `n=${n} kill ${k + 1}/${kills}: suspect ${suspect.at(-1)} s, ` +
          `dead ${dead.at(-1)} s, rejoin ${join.at(-1)} s`,
      );
    }
    for (let k = 0; k < leaves; k++) {
      const victim = names[1 + Math.floor(Math.random() * (n - 1))];
      const t0 = Date.now();
      await b.stop(victim, "SIGTERM");
      left.push(await everywhere(b, victim, ["left"], t0, 20_000));
      join.push(await rejoin(b, victim));
      console.error(`n=${n} leave ${k + 1}/${leaves}: left ${left.at(-1)} s`);
    }
    return {
      tool: "rads-node",
      profile: flags.profile!,
      nodes: n,
      suspectEverywhereS: summarize(suspect),
      deadEverywhereS: summarize(dead),
      leftEverywhereS: summarize(left),
      joinEverywhereS: summarize(join),
      idle,
    };
  } finally {
    await b.close();
  }
}

function printTable(results: RunResult[]): void {
  const fmt = (s: Summary) =>
    `${s.median.toFixed(2)} / ${s.p99.toFixed(2)} (n=${s.count})`;
  console.log(
    "| figure (median / p99 s) | " +
      results.map((r) => `N = ${r.nodes}`).join(" | ") + " |",
  );
  console.log("|---|" + results.map(() => "---|").join(""));
  const rows: [string, (r: RunResult) => string][] = [
    ["kill -9 -> suspect everywhere", (r) => fmt(r.suspectEverywhereS)],
    ["kill -9 -> dead everywhere", (r) => fmt(r.deadEverywhereS)],
    ["leave -> left everywhere", (r) => fmt(r.leftEverywhereS)],
    ["join -> alive everywhere", (r) => fmt(r.joinEverywhereS)],
    ["idle packets/s per node", (r) => r.idle.packetsPerSecPerNode.toFixed(2)],
    [
      "idle bytes/s per node (IP level)",
      (r) => r.idle.bytesPerSecPerNode.toFixed(0),
    ],
    [
      "idle payload bytes/s per node",
      (r) => r.idle.payloadBytesPerSecPerNode.toFixed(0),
    ],
    ["idle CPU % per node", (r) => r.idle.cpuPercentPerNode.toFixed(2)],
    ["RSS MiB per node", (r) => r.idle.rssMiBPerNode.toFixed(1)],
  ];
  for (const [label, f] of rows) {
    console.log(`| ${label} | ${results.map(f).join(" | ")} |`);
  }
}

/** Prints rads-node against Serf, with the ratio of each figure. */
function printComparison(pairs: [RunResult, SerfRunResult][]): void {
  const med = (s: Summary) => s.median;
  const rows: [
    string,
    (r: RunResult) => number,
    (s: SerfRunResult) => number,
  ][] = [
    [
      "kill -9 -> dead/failed everywhere, median s",
      (r) => med(r.deadEverywhereS),
      (s) => med(s.deadEverywhereS),
    ],
    [
      "kill -9 -> dead/failed everywhere, p99 s",
      (r) => r.deadEverywhereS.p99,
      (s) => s.deadEverywhereS.p99,
    ],
    [
      "leave -> left everywhere, median s",
      (r) => med(r.leftEverywhereS),
      (s) => med(s.leftEverywhereS),
    ],
    [
      "join -> alive everywhere, median s",
      (r) => med(r.joinEverywhereS),
      (s) => med(s.joinEverywhereS),
    ],
    [
      "join -> alive everywhere, p99 s",
      (r) => r.joinEverywhereS.p99,
      (s) => s.joinEverywhereS.p99,
    ],
    [
      "idle packets/s per node (IP)",
      (r) => r.idle.packetsPerSecPerNode,
      (s) => s.idle.packetsPerSecPerNode,
    ],
    [
      "idle bytes/s per node (IP)",
      (r) => r.idle.bytesPerSecPerNode,
      (s) => s.idle.bytesPerSecPerNode,
    ],
    [
      "idle CPU % per process",
      (r) => r.idle.cpuPercentPerNode,
      (s) => s.idle.cpuPercentPerNode,
    ],
    [
      "RSS MiB per process",
      (r) => r.idle.rssMiBPerNode,
      (s) => s.idle.rssMiBPerNode,
    ],
  ];
  for (const [r, s] of pairs) {
    console.log(
      `\n| N = ${r.nodes} | rads-node (${r.profile}) | serf | ratio |`,
    );
    console.log("|---|---|---|---|");
    for (const [label, fr, fs] of rows) {
      const a = fr(r), z = fs(s);
      console.log(
        `| ${label} | ${a.toFixed(2)} | ${z.toFixed(2)} | ${
          (a / z).toFixed(2)
        } |`,
      );
    }
  }
}

if (import.meta.main) {
  const sizes = flags.nodes!.split(",").map(Number);
  const kills = Number(flags.kills), leaves = Number(flags.leaves);
  const idleS = Number(flags["idle-s"]);
  // Serf to compare with, iptables to count traffic: installed if missing.
  const missing = await ensureCommands(
    flags["no-serf"]
      ? { iptables: "iptables" }
      : { serf: "serf", iptables: "iptables" },
  );
  for (const [cmd, why] of Object.entries(missing)) {
    console.error(`${cmd}: ${why}`);
  }
  const serfWhy = flags["no-serf"]
    ? "--no-serf given"
    : await serfUnavailable();
  if (serfWhy) console.error(`serf comparison skipped: ${serfWhy}`);

  const results: RunResult[] = [];
  const serf: SerfRunResult[] = [];
  for (const n of sizes) {
    console.error(`== rads-node, ${n} agents, profile ${flags.profile}`);
    results.push(await runOne(n, kills, leaves, idleS));
    if (serfWhy) continue;
    console.error(`== serf, ${n} agents, LAN profile`);
    serf.push(await runSerf(n, kills, leaves, idleS));
  }
  printTable(results);
  if (serf.length > 0) {
    printSerfTable(serf);
    printComparison(results.map((r, i) => [r, serf[i]]));
  }
  await Deno.mkdir(new URL("../bench/results/", import.meta.url), {
    recursive: true,
  });
  const out = {
    date: new Date().toISOString(),
    runtime: `deno ${Deno.version.deno}`,
    command: `deno task bench ${Deno.args.join(" ")}`.trim(),
    results,
    serf,
  };
  await Deno.writeTextFile(flags.out!, JSON.stringify(out, null, 2) + "\n");
  console.error(`wrote ${flags.out}`);
}
