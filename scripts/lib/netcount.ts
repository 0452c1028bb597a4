/**
 * Counts packets and bytes at IP level for a set of local ports, the same
 * way for any program (rads-node, Serf), with iptables counters.
 *
 * A private chain is hooked into OUTPUT for the loopback interface, where
 * every loopback packet passes exactly once. For each port it holds, in this
 * order, rules matching UDP and TCP *from* that port, then rules matching
 * UDP and TCP *to* that port; each rule RETURNs, so a packet is counted by
 * the first rule it matches and only once, and nothing is ever dropped.
 * Byte counts are whole IP packets (IP and UDP/TCP headers included).
 *
 * Attribution: a packet from a listed port is charged to that port. TCP
 * connections opened by a program come from an ephemeral port, so their
 * client-side packets are only caught by the "to" rules and charged to the
 * destination port (`toPort`); the cluster total is exact, the per-port
 * split of TCP is not. Figures per node are therefore total / nodes.
 *
 * Needs root and the iptables command (Debian: apt-get install -y iptables).
 * Every chain is removed by close(), and, should the program end without
 * calling it, by an unload handler.
 *
 * @module
 */

/** Packets and bytes. */
export interface Counts {
  packets: number;
  bytes: number;
}

/** A reading of the counters since the chain was made. */
export interface TrafficReading {
  atMs: number;
  total: Counts;
  udp: Counts;
  tcp: Counts;
  /** Sent from each port (UDP and TCP). */
  fromPort: Record<number, Counts>;
  /** Sent to each port from a port not in the list (TCP clients). */
  toPort: Record<number, Counts>;
}

const IPT = "iptables";
const live = new Set<string>();
let seq = 0;

async function ipt(args: string[]): Promise<string> {
  const out = await new Deno.Command(IPT, {
    args: ["-w", "5", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(15_000),
  }).output();
  if (!out.success) {
    throw new Error(
      `iptables ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

function iptSync(args: string[]): void {
  try {
    new Deno.Command(IPT, {
      args: ["-w", "5", ...args],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).outputSync();
  } catch {
    // Best effort at exit.
  }
}

globalThis.addEventListener("unload", () => {
  for (const chain of live) removeChainSync(chain);
});

function removeChainSync(chain: string): void {
  iptSync(["-D", "OUTPUT", "-o", "lo", "-j", chain]);
  iptSync(["-F", chain]);
  iptSync(["-X", chain]);
}

/** Undefined if iptables counting works here, else why not. */
export async function netcountUnavailable(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return "needs Linux";
  if (Deno.uid() !== 0) return "needs root (iptables)";
  try {
    await ipt(["-nL", "OUTPUT"]);
    return undefined;
  } catch (e) {
    return `iptables does not work here (${(e as Error).message.trim()}); ` +
      "install it with: apt-get install -y iptables";
  }
}

/** Parses `iptables -nvxL CHAIN` output of a chain made by NetCounter. */
export function parseCounters(
  text: string,
  ports: number[],
  atMs = Date.now(),
): TrafficReading {
  const r: TrafficReading = {
    atMs,
    total: { packets: 0, bytes: 0 },
    udp: { packets: 0, bytes: 0 },
    tcp: { packets: 0, bytes: 0 },
    fromPort: {},
    toPort: {},
  };
  for (const p of ports) {
    r.fromPort[p] = { packets: 0, bytes: 0 };
    r.toPort[p] = { packets: 0, bytes: 0 };
  }
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !/^\d+$/.test(f[0]) || !/^\d+$/.test(f[1])) continue;
    const m = line.match(/\b(udp|tcp) (spt|dpt):(\d+)/);
    if (!m) continue;
    const packets = Number(f[0]), bytes = Number(f[1]);
    const port = Number(m[3]);
    const into = m[2] === "spt" ? r.fromPort : r.toPort;
    const proto = m[1] === "udp" ? r.udp : r.tcp;
    proto.packets += packets;
    proto.bytes += bytes;
    if (!into[port]) into[port] = { packets: 0, bytes: 0 };
    into[port].packets += packets;
    into[port].bytes += bytes;
    r.total.packets += packets;
    r.total.bytes += bytes;
  }
  return r;
}

/** Counters for the loopback traffic of `ports`, live until close(). */
export class NetCounter {
  #closed = false;
  private constructor(readonly chain: string, readonly ports: number[]) {}

  /** Makes the chain and hooks it into OUTPUT. */
  static async open(ports: number[]): Promise<NetCounter> {
    const unique = [...new Set(ports)];
    if (unique.length === 0) throw new Error("no ports to count");
    for (const p of unique) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        throw new Error(`bad port ${p}`);
      }
    }
    const chain = `NETCOUNT_${Deno.pid}_${seq++}`;
    await ipt(["-N", chain]);
    live.add(chain);
    const c = new NetCounter(chain, unique);
    try {
      for (const dir of ["--sport", "--dport"]) {
        for (const p of unique) {
          for (const proto of ["udp", "tcp"]) {
            await ipt([
              "-A",
              chain,
              "-p",
              proto,
              "-m",
              proto,
              dir,
              String(p),
              "-j",
              "RETURN",
            ]);
          }
        }
      }
      await ipt(["-I", "OUTPUT", "-o", "lo", "-j", chain]);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  /** The counters now (cumulative since open). */
  async read(): Promise<TrafficReading> {
    const text = await ipt(["-nvxL", this.chain]);
    return parseCounters(text, this.ports, Date.now());
  }

  /** Unhooks and deletes the chain. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (
      const args of [
        ["-D", "OUTPUT", "-o", "lo", "-j", this.chain],
        ["-F", this.chain],
        ["-X", this.chain],
      ]
    ) {
      try {
        await ipt(args);
      } catch {
        // Keep going; the next step may still succeed.
      }
    }
    live.delete(this.chain);
  }
}

/** Traffic of a set of ports over a window. */
export interface TrafficRate {
  seconds: number;
  packets: number;
  bytes: number;
  packetsPerSec: number;
  bytesPerSec: number;
  /** UDP and TCP shares, per second. */
  udpPerSec: Counts;
  tcpPerSec: Counts;
  /** Per port, sent from it, per second. */
  fromPortPerSec: Record<number, Counts>;
}

/** The difference of two readings as rates. */
export function rateBetween(a: TrafficReading, z: TrafficReading): TrafficRate {
  const seconds = (z.atMs - a.atMs) / 1000;
  const packets = z.total.packets - a.total.packets;
  const bytes = z.total.bytes - a.total.bytes;
  const fromPortPerSec: Record<number, Counts> = {};
  for (const p of Object.keys(z.fromPort).map(Number)) {
    const before = a.fromPort[p] ?? { packets: 0, bytes: 0 };
    fromPortPerSec[p] = {
      packets: (z.fromPort[p].packets - before.packets) / seconds,
      bytes: (z.fromPort[p].bytes - before.bytes) / seconds,
    };
  }
  const perSec = (x: Counts, y: Counts): Counts => ({
    packets: (y.packets - x.packets) / seconds,
    bytes: (y.bytes - x.bytes) / seconds,
  });
  return {
    seconds,
    packets,
    bytes,
    packetsPerSec: packets / seconds,
    bytesPerSec: bytes / seconds,
    udpPerSec: perSec(a.udp, z.udp),
    tcpPerSec: perSec(a.tcp, z.tcp),
    fromPortPerSec,
  };
}

/** Counts the loopback traffic of `ports` for `seconds`. */
export async function measureTraffic(
  ports: number[],
  seconds: number,
): Promise<TrafficRate> {
  const c = await NetCounter.open(ports);
  try {
    const a = await c.read();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const z = await c.read();
    return rateBetween(a, z);
  } finally {
    await c.close();
  }
}
