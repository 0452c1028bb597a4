/**
 * Many unmodified membership cores on one virtual clock, over a simulated
 * network with loss, delay, jitter and partitions. Seeded: a run replays
 * exactly.
 *
 * @module
 */

import {
  type CoreOptions,
  defaultCoreOptions,
  type Effects,
  type Member,
  type MemberMeta,
  MembershipNode,
  type NodeEvent,
} from "../core/mod.ts";
import { NameTable } from "../core/registry.ts";
import { TimeHeap } from "./heap.ts";
import { seededRandom } from "./prng.ts";

/** Network behaviour of the simulated links. */
export interface NetworkOptions {
  /** Probability that a datagram is lost (0..1). @default {0} */
  loss: number;
  /** One-way delay in ms. @default {1} */
  delayMs: number;
  /** Extra uniform random delay, 0..jitterMs. @default {0} */
  jitterMs: number;
}

/** What became of a simulated node. */
export type NodeStatus = "running" | "paused" | "crashed" | "left";

type Item =
  | { kind: "wake"; node: SimNode }
  | { kind: "deliver"; to: string; from: string; bytes: Uint8Array };

interface SimNode {
  name: string;
  addr: string;
  core: MembershipNode;
  wakeAtMs: number;
  crashed: boolean;
  paused: boolean;
  /** Datagrams that arrived while paused, as a kernel buffer would keep. */
  backlog: { from: string; bytes: Uint8Array }[];
}

/** Most datagrams buffered for a paused node; later ones are lost. */
const PAUSE_BUFFER = 256;
/** Metadata of simulated nodes unless a test gives its own. */
const SIM_META: MemberMeta = { cpus: 2, memoryMiB: 1024, tags: {} };

/** A simulated cluster. */
export class SimCluster {
  nowMs = 0;
  readonly seed: number;
  readonly random: () => number;
  readonly net: NetworkOptions;
  #opts: CoreOptions;
  /** One name table for every core, so each name is stored once. */
  #names = new NameTable({ shared: true });
  #nodes = new Map<string, SimNode>();
  #byAddr = new Map<string, SimNode>();
  #queue = new TimeHeap<Item>();
  #nextPort = 1;
  #reserved = new Map<string, string>();
  /** Every address each name has run at, oldest first. */
  #addrHistory = new Map<string, string[]>();
  /** Highest incarnation reached by an earlier run of each name. */
  #pastIncarnation = new Map<string, number>();
  /** Pairs of names that cannot reach each other, as "a|b". */
  #cut = new Set<string>();
  /** Called with every event of every node. */
  onEvent: ((node: string, e: NodeEvent) => void) | undefined;
  /** Datagrams and bytes handed to the network. */
  sent = { packets: 0, bytes: 0 };

  /** A cluster whose randomness comes from `seed`. */
  constructor(
    seed: number,
    opts: Partial<CoreOptions> = {},
    net: Partial<NetworkOptions> = {},
  ) {
    this.seed = seed;
    this.random = seededRandom(seed);
    this.#opts = { ...defaultCoreOptions(), ...opts };
    this.net = { loss: 0, delayMs: 1, jitterMs: 0, ...net };
  }

  /** The protocol options every node of this cluster runs with. */
  get options(): CoreOptions {
    return { ...this.#opts };
  }

  /** Starts a node, joining through `seeds` (node names) if any. */
  start(name: string, seeds: string[] = [], meta?: MemberMeta): void {
    const node = this.#create(name, meta);
    const seedAddrs = seeds.map((s) => this.addrOf(s));
    this.#apply(node, node.core.join(seedAddrs, this.nowMs));
  }

  /**
   * Simulation shortcut: starts every named node already knowing all the
   * others as alive (see `MembershipNode.preload`), as if the cluster had
   * formed long ago. Replaying the formation of a large cluster costs
   * O(N^2) datagrams and queued broadcasts, too much at 10,000 nodes.
   */
  startFormed(names: string[], meta: MemberMeta = SIM_META): void {
    const incarnation = this.#incarnation();
    for (const name of names) this.#names.intern(name);
    const members: Member[] = names.map((name) => ({
      name,
      addr: this.addrOf(name),
      incarnation,
      state: "alive",
      stateChangedAtMs: this.nowMs,
      meta,
    }));
    for (const name of names) {
      const node = this.#create(name, meta);
      node.core.preload(members, this.nowMs);
      this.#apply(node, node.core.tick(this.nowMs));
    }
  }

  #create(name: string, meta?: MemberMeta): SimNode {
    const old = this.#nodes.get(name);
    if (old && !old.crashed && !old.core.stopped) {
      throw new Error(`node ${name} is running`);
    }

    // A first run takes the address reserved for its name; a restart gets
    // a fresh one, as a process restarted on another port would.
    const addr = old ? this.#freshAddr() : this.addrOf(name);
    if (old) {
      this.#byAddr.delete(old.addr);
      const past = this.#pastIncarnation.get(name) ?? 0;
      const last = old.core.self().incarnation;
      this.#pastIncarnation.set(name, Math.max(past, last));
    }
    const node: SimNode = {
      name,
      addr,
      core: new MembershipNode(
        this.#opts,
        {
          name,
          addr,
          meta: meta ?? SIM_META,
          incarnation: this.#incarnation(),
        },
        seededRandom(Math.floor(this.random() * 2 ** 32)),
        this.nowMs,
        this.#names,
      ),
      wakeAtMs: Infinity,
      crashed: false,
      paused: false,
      backlog: [],
    };
    this.#nodes.set(name, node);
    this.#byAddr.set(addr, node);
    const history = this.#addrHistory.get(name) ?? [];
    history.push(addr);
    this.#addrHistory.set(name, history);
    return node;
  }

  /** Each run outranks the last, as the agent's clock-based one does. */
  #incarnation(): number {
    return Math.floor(this.nowMs / 1000) + 1;
  }

  /** Address of the node called `name`, reserved on first use. */
  addrOf(name: string): string {
    const running = this.#nodes.get(name);
    if (running) return running.addr;
    let addr = this.#reserved.get(name);
    if (!addr) {
      addr = this.#freshAddr();
      this.#reserved.set(name, addr);
    }
    return addr;
  }

  #freshAddr(): string {
    const i = this.#nextPort++;
    return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:7946`;
  }

  /** Stops a node with no goodbye. */
  crash(name: string): void {
    const node = this.#node(name);
    node.crashed = true;
    this.#byAddr.delete(node.addr);
  }

  /** Freezes a node: no timers run and arriving datagrams wait. */
  pause(name: string): void {
    this.#node(name).paused = true;
  }

  /** Thaws a paused node; it handles its backlog at once. */
  resume(name: string): void {
    const node = this.#node(name);
    node.paused = false;
    for (const d of node.backlog.splice(0)) {
      this.#apply(node, node.core.receive(d.from, d.bytes, this.nowMs));
    }
    this.#apply(node, node.core.tick(this.nowMs));
  }

  /**
   * Hands `bytes` to the node called `to` as if sent from `fromAddr`, now:
   * a forged or corrupted datagram, for fault-injection tests.
   */
  inject(to: string, fromAddr: string, bytes: Uint8Array): void {
    this.#deliver({
      kind: "deliver",
      to: this.addrOf(to),
      from: fromAddr,
      bytes,
    });
  }

  /** Starts a graceful leave of a node. */
  leave(name: string): void {
    const node = this.#node(name);
    this.#apply(node, node.core.leave(this.nowMs));
  }

  /** Silently drops all traffic between the two groups of nodes. */
  partition(a: string[], b: string[]): void {
    for (const x of a) {
      for (const y of b) this.#cut.add(this.#pair(x, y));
    }
  }

  /** Removes every partition. */
  heal(): void {
    this.#cut.clear();
  }

  /** Runs the clock forward by `ms`. */
  advance(ms: number): void {
    this.runUntil(this.nowMs + ms);
  }

  /** Runs every delivery and wake-up due up to `untilMs`. */
  runUntil(untilMs: number): void {
    while (this.#queue.peekTime() <= untilMs) {
      const { atMs, value } = this.#queue.pop()!;
      this.nowMs = atMs;
      if (value.kind === "wake") this.#wake(value.node, atMs);
      else this.#deliver(value);
    }
    this.nowMs = untilMs;
  }

  /** The state `observer` holds `subject` in, if it knows it. */
  stateOf(observer: string, subject: string): Member["state"] | undefined {
    return this.#node(observer).core.stateOf(subject);
  }

  /** Names of nodes that are running (not crashed, not left). */
  running(): string[] {
    return [...this.#nodes.values()]
      .filter((n) => !n.crashed && !n.core.stopped).map((n) => n.name);
  }

  /** Names of every node ever started, whatever became of it. */
  names(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Every address the node called `name` has run at, oldest first. */
  addrsOf(name: string): readonly string[] {
    return this.#addrHistory.get(name) ?? [];
  }

  /** Highest incarnation any run of the node called `name` has had. */
  maxIncarnationOf(name: string): number {
    const current = this.#node(name).core.self().incarnation;
    return Math.max(current, this.#pastIncarnation.get(name) ?? 0);
  }

  /** Whether a node called `name` was ever started. */
  has(name: string): boolean {
    return this.#nodes.has(name);
  }

  /** What became of the node called `name`. */
  status(name: string): NodeStatus {
    const node = this.#node(name);
    if (node.crashed) return "crashed";
    if (node.core.stopped || node.core.self().state === "left") return "left";
    return node.paused ? "paused" : "running";
  }

  /** The core of a node, for inspection. */
  core(name: string): MembershipNode {
    return this.#node(name).core;
  }

  #node(name: string): SimNode {
    const node = this.#nodes.get(name);
    if (!node) throw new Error(`no such node: ${name}`);
    return node;
  }

  #pair(a: string, b: string): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  #wake(node: SimNode, atMs: number): void {
    if (node.crashed || node.wakeAtMs !== atMs) return;
    node.wakeAtMs = Infinity;
    if (node.paused) return;
    this.#apply(node, node.core.tick(atMs));
  }

  #deliver(d: Extract<Item, { kind: "deliver" }>): void {
    const node = this.#byAddr.get(d.to);
    if (!node || node.crashed) return;
    if (node.paused) {
      if (node.backlog.length < PAUSE_BUFFER) node.backlog.push(d);
      return;
    }
    this.#apply(node, node.core.receive(d.from, d.bytes, this.nowMs));
  }

  #apply(node: SimNode, effects: Effects): void {
    for (const s of effects.sends) this.#send(node, s.to, s.bytes);
    if (this.onEvent) {
      for (const e of effects.events) this.onEvent(node.name, e);
    }

    // One pending wake-up per node: re-arm only for an earlier time. A
    // wake-up that comes too early just ticks and learns the next time.
    const at = Math.max(effects.wakeAtMs, this.nowMs);
    if (Number.isFinite(at) && at < node.wakeAtMs) {
      node.wakeAtMs = at;
      this.#queue.push(at, { kind: "wake", node });
    }
  }

  #send(from: SimNode, to: string, bytes: Uint8Array): void {
    this.sent.packets += 1;
    this.sent.bytes += bytes.length;
    if (this.net.loss > 0 && this.random() < this.net.loss) return;

    if (this.#cut.size > 0) {
      const target = this.#byAddr.get(to);
      if (target && this.#cut.has(this.#pair(from.name, target.name))) return;
    }

    const delay = this.net.jitterMs > 0
      ? this.net.delayMs + this.random() * this.net.jitterMs
      : this.net.delayMs;
    this.#queue.push(this.nowMs + delay, {
      kind: "deliver",
      to,
      from: from.addr,
      bytes,
    });
  }
}
