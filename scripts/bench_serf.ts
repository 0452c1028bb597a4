/**
 * The HashiCorp Serf side of the benchmark: the same measurements as
 * scripts/bench.ts, on N Serf agents on loopback (default LAN profile).
 *
 *   deno run -A scripts/bench_serf.ts [--nodes 5,20] [--kills 20]
 *       [--leaves 10] [--idle-s 30] [--settle-s 40]
 *       [--ports 40000-44999] [--out bench/results/serf.json]
 *
 * --ports is an inclusive range; one outside the ephemeral range
 * (/proc/sys/net/ipv4/ip_local_port_range) avoids clashes with outgoing
 * connections. --idle-s 30 or more: each agent's push-pull runs every 30 s.
 *
 * Needs `serf` (apt-get install -y serf) and, for the traffic figures, root
 * and iptables (see scripts/lib/netcount.ts); without them the traffic
 * figures are NaN and the reason is printed.
 *
 * Times come from each agent's own log lines, stamped on arrival (see
 * scripts/lib/serf.ts), and every final state is confirmed with
 * `serf members`. Differences from scripts/bench.ts:
 * - a restarted agent keeps its name *and its address* (ports): Serf refuses
 *   a known name at a new address for 40 s and more, which would measure
 *   that conflict rule instead of a join;
 * - a graceful leave is SIGINT (Serf's SIGTERM stops without one);
 * - Serf logs suspicion only where it was raised, so "suspect everywhere"
 *   is empty and the first suspicion anywhere is given instead;
 * - packets are counted at IP level by iptables for UDP and TCP (Serf's
 *   push-pull runs over TCP), per node = cluster total / N.
 *
 * An agent that does not come up (exits, or is not ready in time) is
 * killed and started again, up to 3 times, with a line on stderr; waits
 * for a change to reach every agent allow for Serf's push-pull interval
 * (see joinWaitMs); all of the cluster's ports are held by this process
 * whenever their agent is not running (see SerfCluster).
 *
 * @module
 */

import {
  firstSeen,
  lastSeen,
  serfAllSee,
  type SerfEvent,
  serfMembers,
  type SerfProc,
  serfPushPullMs,
  serfUnavailable,
  serfViews,
  spawnSerf,
  stopSerf,
  waitSerfReady,
} from "./lib/serf.ts";
import {
  NetCounter,
  netcountUnavailable,
  rateBetween,
} from "./lib/netcount.ts";
import { procUsage, summarize, type Summary } from "./lib/stats.ts";
import { scriptFlags } from "./lib/script_args.ts";

const USAGE_BENCH_SERF =
  `The HashiCorp Serf side of the benchmark: the same measurements as
scripts/bench.ts, on N Serf agents on loopback (default LAN profile).

  deno run -A scripts/bench_serf.ts [--nodes 5,20] [--kills 20]
      [--leaves 10] [--idle-s 30] [--settle-s 40]
      [--ports 40000-44999] [--out bench/results/serf.json]

--ports is an inclusive range; one outside the ephemeral range
(/proc/sys/net/ipv4/ip_local_port_range) avoids clashes with outgoing
connections. --idle-s 30 or more: each agent's push-pull runs every 30 s.

Needs \`serf\` (apt-get install -y serf) and, for the traffic figures, root
and iptables (see scripts/lib/netcount.ts); without them the traffic
figures are NaN and the reason is printed.

Times come from each agent's own log lines, stamped on arrival (see
scripts/lib/serf.ts), and every final state is confirmed with
\`serf members\`. Differences from scripts/bench.ts:
- a restarted agent keeps its name *and its address* (ports): Serf refuses
  a known name at a new address for 40 s and more, which would measure
  that conflict rule instead of a join;
- a graceful leave is SIGINT (Serf's SIGTERM stops without one);
- Serf logs suspicion only where it was raised, so "suspect everywhere"
  is empty and the first suspicion anywhere is given instead;
- packets are counted at IP level by iptables for UDP and TCP (Serf's
  push-pull runs over TCP), per node = cluster total / N.

An agent that does not come up (exits, or is not ready in time) is
killed and started again, up to 3 times, with a line on stderr; waits
for a change to reach every agent allow for Serf's push-pull interval
(see joinWaitMs); all of the cluster's ports are held by this process
whenever their agent is not running (see SerfCluster).
`;

/** Idle cost per node. */
export interface IdleFigures {
  packetsPerSecPerNode: number;
  bytesPerSecPerNode: number;
  cpuPercentPerNode: number;
  rssMiBPerNode: number;
  /** The UDP and TCP shares of the traffic, per node. */
  udpPacketsPerSecPerNode: number;
  udpBytesPerSecPerNode: number;
  tcpPacketsPerSecPerNode: number;
  tcpBytesPerSecPerNode: number;
  /** Length of the window, seconds. */
  seconds: number;
  /** Why the traffic figures are NaN, if they are. */
  trafficUnavailable?: string;
}

/** What runSerf() measured for one cluster size; fields as in bench.ts. */
export interface SerfRunResult {
  tool: "serf";
  nodes: number;
  /** Always empty: Serf does not report others' suspicions. */
  suspectEverywhereS: Summary;
  /** kill -9 -> first "Suspect ... has failed" on any survivor. */
  suspectFirstS: Summary;
  /** kill -9 -> every survivor reports failed. */
  deadEverywhereS: Summary;
  /** SIGINT -> every other agent reports left (or failed, see below). */
  leftEverywhereS: Summary;
  /** Leaves that some agent reported as failed instead of left. */
  leavesSeenAsFailed: number;
  /** A restarted agent's join banner -> every other agent reports alive. */
  joinEverywhereS: Summary;
  /** The same for the first start of agents 2..N (new names). */
  freshJoinEverywhereS: Summary;
  /** All joins (fresh and rejoins) timed from the process start instead. */
  joinFromSpawnS: Summary;
  idle: IdleFigures;
}

/** Options of runSerf(). */
export interface RunSerfOptions {
  /** Inclusive range to take ports from; default 40000-44999. */
  portRange?: [number, number];
  /**
   * Seconds of quiet after convergence before idle counting; default 40.
   * A Serf agent's first periodic push-pull (TCP, every 30 s) comes 30-35 s
   * after it starts, so a shorter wait undercounts the idle TCP traffic
   * (at N = 5: 2.07 instead of 2.33 packets/s per node).
   */
  settleS?: number;
  /** Progress lines; default console.error. */
  log?: (line: string) => void;
}

/** Every agent this module started and has not yet seen exit. */
const running = new Set<SerfProc>();

/** Kills (SIGKILL) every agent still running; for emergency exits. */
export async function killAllSerf(): Promise<void> {
  await Promise.all([...running].map((p) => stopSerf(p, "SIGKILL", 5000)));
}

/**
 * Idle figures over `seconds` for a set of processes and the local ports
 * their cluster traffic uses: IP-level packets and bytes of UDP and TCP
 * to/from `ports` (iptables, see netcount.ts) divided by `pids.length`,
 * CPU % of one core and RSS averaged over `pids`. Usable for any tool.
 */
export async function measureIdle(
  ports: number[],
  pids: number[],
  seconds: number,
): Promise<IdleFigures> {
  const why = await netcountUnavailable();
  const counter = why ? undefined : await NetCounter.open(ports);
  try {
    const a = await counter?.read();
    const before = pids.map(procUsage);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsedS = (performance.now() - t0) / 1000;
    const after = pids.map(procUsage);
    const z = await counter?.read();
    const rate = a && z ? rateBetween(a, z) : undefined;
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      packetsPerSecPerNode: rate ? rate.packetsPerSec / pids.length : NaN,
      bytesPerSecPerNode: rate ? rate.bytesPerSec / pids.length : NaN,
      cpuPercentPerNode: avg(
        after.map((u, i) => 100 * (u.cpuS - before[i].cpuS) / elapsedS),
      ),
      rssMiBPerNode: avg(after.map((u) => u.rssMiB)),
      udpPacketsPerSecPerNode: rate
        ? rate.udpPerSec.packets / pids.length
        : NaN,
      udpBytesPerSecPerNode: rate ? rate.udpPerSec.bytes / pids.length : NaN,
      tcpPacketsPerSecPerNode: rate
        ? rate.tcpPerSec.packets / pids.length
        : NaN,
      tcpBytesPerSecPerNode: rate ? rate.tcpPerSec.bytes / pids.length : NaN,
      seconds: rate?.seconds ?? elapsedS,
      ...(why ? { trafficUnavailable: why } : {}),
    };
  } finally {
    await counter?.close();
  }
}

/** Polls until `check` gives a value, or throws after `timeoutMs`. */
async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function portsAreFree(ports: number[]): boolean {
  const held: { close(): void }[] = [];
  try {
    for (const port of ports) {
      held.push(Deno.listen({ hostname: "127.0.0.1", port }));
      held.push(
        Deno.listenDatagram({ hostname: "127.0.0.1", port, transport: "udp" }),
      );
    }
    return true;
  } catch {
    return false;
  } finally {
    for (const h of held) h.close();
  }
}

/** A block of `count` ports inside `range`, free for UDP and TCP now. */
export function freeSerfPorts(count: number, range: [number, number]): number {
  const span = range[1] - range[0] + 1 - count;
  if (span < 0) throw new Error(`range ${range} too small for ${count} ports`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = range[0] + Math.floor(Math.random() * (span + 1));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if (portsAreFree(ports)) return base;
  }
  throw new Error(`no block of ${count} free ports in ${range}`);
}

/** Tries to bind `port` on 127.0.0.1 for TCP and UDP; undefined if taken. */
function holdPort(port: number): { close(): void }[] | undefined {
  const held: { close(): void }[] = [];
  try {
    held.push(Deno.listen({ hostname: "127.0.0.1", port }));
    held.push(
      Deno.listenDatagram({ hostname: "127.0.0.1", port, transport: "udp" }),
    );
    return held;
  } catch {
    for (const h of held) h.close();
    return undefined;
  }
}

/**
 * The waits for a change to reach every agent allow for memberlist's push-pull
 * (serfPushPullMs: 30 s, 60 s above 32 agents): Serf spreads a change by
 * gossip to a few random members, retransmitted a few times, and an agent
 * that all of those missed (4 joins in about 550 while this was tested,
 * at 7 to 44 agents) learns of it only by a push-pull, which can be a full interval away, or,
 * for a failure, by probing the member itself and its suspicion timeout.
 * Fixed waits of 30 s aborted such runs; these allow two intervals more.
 * Only a wait that times out is affected: the figures are the same.
 */
function joinWaitMs(n: number): number {
  return 30_000 + 2 * serfPushPullMs(n);
}
function deadWaitMs(n: number): number {
  return 60_000 + 2 * serfPushPullMs(n);
}
function leftWaitMs(n: number): number {
  return 30_000 + 2 * serfPushPullMs(n);
}
/** A wait for "everywhere" longer than this is logged. */
const LATE_MS = 30_000;

/**
 * What `serf members` on each agent lacks of `names` being alive, or
 * undefined if every agent lists every name alive.
 */
async function notAllAlive(
  c: SerfCluster,
  names: string[],
): Promise<string | undefined> {
  const agents = [...c.agents.values()];
  const views = await serfViews(agents);
  const gaps = agents.flatMap((a, i) => {
    const v = views[i];
    if (!v) return [`${a.name}: no answer`];
    const missing = names.filter((name) =>
      !v.some((m) => m.name === name && m.status === "alive")
    );
    return missing.length ? [`${a.name} lacks ${missing.join(" ")}`] : [];
  });
  return gaps.length > 0 ? gaps.join("; ") : undefined;
}

/** An error message on one line: its first line and its last. */
function oneLine(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter((l) => l);
  return lines.length > 1
    ? `${lines[0]} ... ${lines[lines.length - 1]}`
    : lines[0] ?? "";
}

/** How many times SerfCluster.start() tries before it gives up. */
const START_ATTEMPTS = 3;

/**
 * A Serf cluster under test; every name keeps its gossip port across
 * restarts. Every port of the cluster is held by this process whenever
 * its agent is not running, from the moment the block is chosen: before
 * an agent's first start as well as while it is down. Ports in the
 * ephemeral range (40000-44999 is inside Linux's default 32768-60999) are
 * otherwise soon taken as the local end of some outgoing TCP connection
 * (each `serf members` call and each push-pull opens one; forming 50 agents
 * opens thousands), whose TIME_WAIT then keeps the agent from binding for a
 * minute. A held port is never picked for an outgoing connection.
 *
 * An agent that fails to start (exits, or is not ready in time) is killed
 * and started again, up to START_ATTEMPTS times, with a line on the log.
 */
class SerfCluster {
  agents = new Map<string, SerfProc>();
  #ports = new Map<string, number>();
  #rpcPorts = new Map<string, number>();
  #held = new Map<string, { close(): void }[]>();
  /** Every agent spawned, so that close() stops even failed attempts. */
  #spawned = new Set<SerfProc>();
  /** Names that reached "Joining cluster" at least once at their port. */
  #joinedOnce = new Set<string>();
  readonly readyTimeoutMs: number;

  constructor(
    readonly n: number,
    readonly range: [number, number],
    readonly log: (line: string) => void,
  ) {
    // Start and join take well under a second; the wait only has to cover
    // a loaded machine, a little more for a larger state to sync.
    this.readyTimeoutMs = 30_000 + 200 * n;
    this.#reserveBlock();
  }

  /** Picks a block of 2n ports and holds all of them until their starts. */
  #reserveBlock(): void {
    const span = this.range[1] - this.range[0] + 1 - 2 * this.n;
    if (span < 0) {
      throw new Error(`range ${this.range} too small for ${2 * this.n} ports`);
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const base = this.range[0] + Math.floor(Math.random() * (span + 1));
      const held: { close(): void }[][] = [];
      for (let i = 0; i < 2 * this.n; i++) {
        const h = holdPort(base + i);
        if (!h) break;
        held.push(h);
      }
      if (held.length < 2 * this.n) {
        for (const h of held.flat()) h.close();
        continue;
      }
      for (let i = 0; i < this.n; i++) {
        const name = `n${i + 1}`;
        this.#ports.set(name, base + i);
        this.#rpcPorts.set(name, base + this.n + i);
        this.#held.set(name, [...held[i], ...held[this.n + i]]);
      }
      return;
    }
    throw new Error(`no block of ${2 * this.n} free ports in ${this.range}`);
  }

  get seed(): string {
    return `127.0.0.1:${this.#ports.get("n1")}`;
  }

  #hold(name: string, ports: number[]): void {
    this.#release(name);
    // A port still taken is noticed by start().
    this.#held.set(name, ports.flatMap((port) => holdPort(port) ?? []));
  }

  #release(name: string): void {
    for (const h of this.#held.get(name) ?? []) h.close();
    this.#held.delete(name);
  }

  /**
   * Starts `name` (joining n1 unless it is n1) and waits until it runs;
   * restarts it if it does not come up, up to START_ATTEMPTS times.
   */
  async start(name: string): Promise<SerfProc> {
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#startOnce(name);
      } catch (e) {
        const why = (e as Error).message;
        if (attempt >= START_ATTEMPTS) {
          throw new Error(
            `serf ${name}: no start in ${START_ATTEMPTS} attempts; last: ${why}`,
          );
        }
        this.log(
          `serf ${name}: start attempt ${attempt}/${START_ATTEMPTS} failed ` +
            `(${oneLine(why)}); killed it, restarting it`,
        );
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }

  async #startOnce(name: string): Promise<SerfProc> {
    let port = this.#ports.get(name)!;
    this.#release(name);
    if (!portsAreFree([port])) {
      if (!this.#joinedOnce.has(name)) {
        // No member knows this name at this address yet: take another.
        const old = port;
        port = freeSerfPorts(1, this.range);
        this.#ports.set(name, port);
        this.log(`serf ${name}: gossip port ${old} taken; using ${port}`);
      } else {
        // Serf wants the same address back; a TIME_WAIT ends within 60 s.
        await until(
          `gossip port ${port} of ${name} to be free again`,
          () => portsAreFree([port]) || undefined,
          70_000,
          500,
        );
      }
    }
    let rpcPort = this.#rpcPorts.get(name)!;
    if (!portsAreFree([rpcPort])) {
      // The RPC port may change without effect on the cluster.
      rpcPort = freeSerfPorts(1, this.range);
    }
    this.#rpcPorts.set(name, rpcPort);
    const p = spawnSerf({
      name,
      port,
      rpcPort,
      join: name === "n1" ? [] : [this.seed],
    });
    running.add(p);
    this.#spawned.add(p);
    p.exited.then(() => {
      running.delete(p);
      this.#spawned.delete(p);
    });
    this.agents.set(name, p);
    try {
      await waitSerfReady(p, this.readyTimeoutMs);
    } catch (e) {
      this.agents.delete(name);
      await stopSerf(p, "SIGKILL", 5000);
      this.#hold(name, [port, rpcPort]);
      throw e;
    } finally {
      if (p.joinStartMs !== undefined) this.#joinedOnce.add(name);
    }
    return p;
  }

  others(except: string): SerfProc[] {
    return [...this.agents.values()].filter((p) => p.name !== except);
  }

  ports(): number[] {
    return [...this.agents.values()].map((p) => p.port);
  }

  async stop(name: string, signal: Deno.Signal): Promise<void> {
    const p = this.agents.get(name)!;
    this.agents.delete(name);
    await stopSerf(p, signal);
    this.#hold(name, [p.port, p.rpcPort]);
  }

  /** Kills every agent this cluster started and frees all its ports. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.#spawned].map((p) => stopSerf(p, "SIGKILL", 5000)),
    );
    this.agents.clear();
    for (const name of [...this.#held.keys()]) this.#release(name);
  }
}

/**
 * When (ms) the last other agent logged `member` in one of `states` at or
 * after `sinceMs`, confirmed afterwards by `serf members` on each of them.
 * A wait longer than LATE_MS is logged with the agent that came last: one
 * that every gossip of the change missed, which learns of it only at a
 * push-pull (see serfPushPullMs).
 */
async function everywhere(
  c: SerfCluster,
  member: string,
  states: SerfEvent["to"][],
  confirm: string | string[],
  sinceMs: number,
  timeoutMs: number,
): Promise<number> {
  const observers = c.others(member);
  try {
    const last = await until(
      `${member} ${states.join("/")} on all of ${observers.length}`,
      () => lastSeen(observers, member, states, sinceMs),
      timeoutMs,
    );
    if (last - sinceMs > LATE_MS) {
      const latest = observers.filter((o) =>
        lastSeen([o], member, states, sinceMs) === last
      );
      c.log(
        `serf n=${c.n}: ${member} ${states.join("/")} everywhere only after ` +
          `${(last - sinceMs) / 1000} s; last: ` +
          latest.map((o) => o.name).join(" "),
      );
    }
    await until(
      `serf members: ${member} ${confirm} everywhere`,
      async () => (await serfAllSee(observers, member, confirm)) || undefined,
      20_000,
      200,
    );
    return last;
  } catch (e) {
    throw new Error(
      `${(e as Error).message}\n${await whatTheySaw(
        observers,
        member,
        sinceMs,
      )}`,
    );
  }
}

/** Per observer: its logged changes of `member` since `sinceMs` and status. */
async function whatTheySaw(
  observers: SerfProc[],
  member: string,
  sinceMs: number,
): Promise<string> {
  const lines: string[] = [];
  for (const o of observers) {
    const seen = o.events
      .filter((e) => e.member === member && e.atMs >= sinceMs)
      .map((e) => `${e.to}@+${e.atMs - sinceMs}ms`);
    const status = (await serfMembers(o.rpcPort))?.find((m) =>
      m.name === member
    )?.status;
    lines.push(
      `  ${o.name}: ${seen.join(" ") || "nothing"}; now ` +
        (status ?? "not in its member list (or no answer)"),
    );
  }
  return lines.join("\n");
}

/**
 * Starts `name`; returns seconds from its join banner, and from the spawn,
 * to every other agent logging it alive.
 */
async function joinTime(
  c: SerfCluster,
  name: string,
): Promise<{ fromBanner: number; fromSpawn: number }> {
  const p = await c.start(name);
  // The spawn of the attempt that came up (see SerfCluster.start).
  const since = p.spawnMs;
  const from = p.joinStartMs ?? since;
  const last = await everywhere(
    c,
    name,
    ["alive"],
    "alive",
    since,
    joinWaitMs(c.n),
  );
  return { fromBanner: (last - from) / 1000, fromSpawn: (last - since) / 1000 };
}

/** Runs the whole Serf benchmark for one cluster size. */
export async function runSerf(
  n: number,
  kills: number,
  leaves: number,
  idleS: number,
  opts: RunSerfOptions = {},
): Promise<SerfRunResult> {
  if (n < 2) throw new Error("need at least 2 agents");
  const why = await serfUnavailable();
  if (why) throw new Error(why);
  const log = opts.log ?? ((l: string) => console.error(l));
  const c = new SerfCluster(n, opts.portRange ?? [40000, 44999], log);
  const names = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const suspectFirst: number[] = [], dead: number[] = [];
  const left: number[] = [], join: number[] = [], fresh: number[] = [];
  const fromSpawn: number[] = [];
  let leavesSeenAsFailed = 0;
  const timeJoin = async (name: string, into: number[]) => {
    const t = await joinTime(c, name);
    into.push(t.fromBanner);
    fromSpawn.push(t.fromSpawn);
  };
  const pick = () => names[1 + Math.floor(Math.random() * (n - 1))];
  try {
    await c.start("n1");
    for (const name of names.slice(1)) await timeJoin(name, fresh);
    // One `serf members` per agent for all names, not one per name.
    let gaps: string | undefined;
    try {
      await until(
        `serf members: all ${n} alive on all ${n}`,
        async () => {
          gaps = await notAllAlive(c, names);
          return gaps === undefined ? true : undefined;
        },
        joinWaitMs(n),
        500,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}: ${gaps}`);
    }
    const settleS = opts.settleS ?? 40;
    log(
      `serf n=${n}: converged; settling ${settleS} s, idle for ${idleS} s`,
    );
    await new Promise((r) => setTimeout(r, settleS * 1000));
    const agents = [...c.agents.values()];
    const idle = await measureIdle(
      agents.map((p) => p.port),
      agents.map((p) => p.pid),
      idleS,
    );
    if (idle.trafficUnavailable) {
      log(`serf n=${n}: no traffic figures: ${idle.trafficUnavailable}`);
    }

    for (let k = 0; k < kills; k++) {
      const victim = pick();
      const t0 = Date.now();
      await c.stop(victim, "SIGKILL");
      const failedAt = await everywhere(
        c,
        victim,
        ["failed"],
        "failed",
        t0,
        deadWaitMs(n),
      );
      dead.push((failedAt - t0) / 1000);
      const s = firstSeen(c.others(victim), victim, ["suspect"], t0);
      if (s !== undefined) suspectFirst.push((s - t0) / 1000);
      await timeJoin(victim, join);
      log(
        `serf n=${n} kill ${k + 1}/${kills}: first suspect ` +
          `${s === undefined ? "-" : (s - t0) / 1000} s, failed ` +
          `${dead.at(-1)} s, rejoin ${join.at(-1)} s`,
      );
    }
    for (let k = 0; k < leaves; k++) {
      const victim = pick();
      const t0 = Date.now();
      await c.stop(victim, "SIGINT");
      // Serf turns a leave into "failed" on a member that missed or
      // dropped the leave intent; such leaves are timed too, and counted.
      const goneAt = await everywhere(
        c,
        victim,
        ["left", "failed"],
        ["left", "failed"],
        t0,
        leftWaitMs(n),
      );
      left.push((goneAt - t0) / 1000);
      const failedBy = c.others(victim).filter((o) =>
        o.events.some((e) =>
          e.member === victim && e.to === "failed" && e.atMs >= t0
        )
      );
      if (failedBy.length > 0) {
        leavesSeenAsFailed++;
        log(
          `serf n=${n} leave ${k + 1}: reported failed, not left, by ` +
            failedBy.map((o) => o.name).join(" "),
        );
      }
      await timeJoin(victim, join);
      log(
        `serf n=${n} leave ${k + 1}/${leaves}: left ${left.at(-1)} s, ` +
          `rejoin ${join.at(-1)} s`,
      );
    }
    return {
      tool: "serf",
      nodes: n,
      suspectEverywhereS: summarize([]),
      suspectFirstS: summarize(suspectFirst),
      deadEverywhereS: summarize(dead),
      leftEverywhereS: summarize(left),
      leavesSeenAsFailed,
      joinEverywhereS: summarize(join),
      freshJoinEverywhereS: summarize(fresh),
      joinFromSpawnS: summarize(fromSpawn),
      idle,
    };
  } finally {
    await c.close();
  }
}

/** Prints a Markdown table like scripts/bench.ts. */
export function printSerfTable(results: SerfRunResult[]): void {
  const fmt = (s: Summary) =>
    s.count === 0
      ? "-"
      : `${s.median.toFixed(2)} / ${s.p99.toFixed(2)} (n=${s.count})`;
  console.log(
    "| Serf figure (median / p99 s) | " +
      results.map((r) => `N = ${r.nodes}`).join(" | ") + " |",
  );
  console.log("|---|" + results.map(() => "---|").join(""));
  const rows: [string, (r: SerfRunResult) => string][] = [
    ["kill -9 -> first suspect anywhere", (r) => fmt(r.suspectFirstS)],
    ["kill -9 -> failed everywhere", (r) => fmt(r.deadEverywhereS)],
    ["leave -> left everywhere", (r) => fmt(r.leftEverywhereS)],
    ["leaves reported as failed", (r) => String(r.leavesSeenAsFailed)],
    ["rejoin -> alive everywhere", (r) => fmt(r.joinEverywhereS)],
    ["new join -> alive everywhere", (r) => fmt(r.freshJoinEverywhereS)],
    ["any join, from spawn", (r) => fmt(r.joinFromSpawnS)],
    ["idle packets/s per node", (r) => r.idle.packetsPerSecPerNode.toFixed(2)],
    ["idle bytes/s per node", (r) => r.idle.bytesPerSecPerNode.toFixed(0)],
    ["idle CPU % per node", (r) => r.idle.cpuPercentPerNode.toFixed(2)],
    ["RSS MiB per node", (r) => r.idle.rssMiBPerNode.toFixed(1)],
  ];
  for (const [label, f] of rows) {
    console.log(`| ${label} | ${results.map(f).join(" | ")} |`);
  }
}

async function serfVersion(): Promise<string> {
  try {
    const out = await new Deno.Command("dpkg-query", {
      args: ["-W", "-f=${Version}", "serf"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const v = new TextDecoder().decode(out.stdout).trim();
    return v ? `serf ${v} (Debian package)` : "serf";
  } catch {
    return "serf";
  }
}

async function main(): Promise<number> {
  const flags = scriptFlags("bench_serf", USAGE_BENCH_SERF, {
    nodes: { type: "string", default: "5,20" },
    kills: { type: "string", default: "20" },
    leaves: { type: "string", default: "10" },
    "idle-s": { type: "string", default: "30" },
    "settle-s": { type: "string", default: "40" },
    ports: { type: "string", default: "40000-44999" },
    out: { type: "string", default: "bench/results/serf.json" },
  });
  const range = flags.ports!.split("-").map(Number) as [number, number];
  const sizes = flags.nodes!.split(",").map(Number);
  if (
    range.length !== 2 || range.some((x) => !Number.isInteger(x)) ||
    sizes.some((x) => !Number.isInteger(x) || x < 2)
  ) {
    console.error("bad --ports or --nodes");
    return 2;
  }
  const results: SerfRunResult[] = [];
  for (const n of sizes) {
    results.push(
      await runSerf(
        n,
        Number(flags.kills),
        Number(flags.leaves),
        Number(flags["idle-s"]),
        { portRange: range, settleS: Number(flags["settle-s"]) },
      ),
    );
  }
  printSerfTable(results);
  const out = {
    date: new Date().toISOString(),
    tool: await serfVersion(),
    profile: "lan",
    results,
  };
  const dir = flags.out!.includes("/")
    ? flags.out!.slice(0, flags.out!.lastIndexOf("/"))
    : ".";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(flags.out!, JSON.stringify(out, null, 2) + "\n");
  console.error(`wrote ${flags.out}`);
  return 0;
}

if (import.meta.main) {
  const onSignal = async () => {
    console.error("interrupted: stopping the Serf agents");
    await killAllSerf();
    Deno.exit(130); // netcount's unload handler removes its chains.
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  let code = 1;
  try {
    code = await main();
  } catch (e) {
    console.error(`bench_serf: ${(e as Error).message}`);
    await killAllSerf();
  }
  Deno.exit(code);
}
