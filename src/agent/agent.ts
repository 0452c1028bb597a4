/**
 * The agent: one membership core driven by real time and a real transport.
 * It carries out the core's effects, logs membership changes and fans
 * events out to subscribers.
 *
 * @module
 */

import {
  type CoreOptions,
  type Effects,
  type Member,
  MembershipNode,
  type NodeEvent,
  type NodeIdentity,
  type NodeStats,
} from "../core/mod.ts";
import type { Transport } from "../net/transport.ts";
import { EventHub } from "./events.ts";
import type { Logger } from "./log.ts";

/** What an agent needs from the outside world. */
export interface AgentDeps {
  transport: Transport;
  log: Logger;
  /** Wall clock in ms. @default {Date.now} */
  clock?: () => number;
  /** Uniform numbers in [0, 1). @default {Math.random} */
  random?: () => number;
}

/** Warn when no seed has answered for this long. */
const JOIN_WARN_MS = 30_000;

/** A running node. */
export class Agent {
  readonly name: string;
  readonly hub = new EventHub();
  #node: MembershipNode;
  #transport: Transport;
  #log: Logger;
  #clock: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wakeAtMs = Infinity;
  #stopped: Promise<void>;
  #resolveStopped!: () => void;
  #joinStartedMs = 0;
  #joinWarned = false;
  #closed = false;
  #leaving = false;
  #frozenUntilMs = 0;

  /** Starts a node on `deps.transport` at once. */
  constructor(opts: CoreOptions, identity: NodeIdentity, deps: AgentDeps) {
    this.name = identity.name;
    this.#transport = deps.transport;
    this.#log = deps.log;
    this.#clock = deps.clock ?? Date.now;
    this.#stopped = new Promise((r) => this.#resolveStopped = r);

    this.#node = new MembershipNode(
      opts,
      identity,
      deps.random ?? Math.random,
      this.#clock(),
    );
    this.#transport.listen((bytes, from) => this.#onDatagram(bytes, from));
    this.#log.info("agent started", {
      node: identity.name,
      addr: identity.addr,
      bind: this.#transport.localAddr,
      inc: identity.incarnation,
    });
    this.#apply(this.#node.tick(this.#clock()));
  }

  /** Joins through `seeds` (resolved addresses); retried until one answers. */
  join(seeds: string[]): void {
    this.#joinStartedMs = this.#clock();
    this.#joinWarned = false;
    this.#log.info("joining", { seeds: seeds.join(",") });
    this.#apply(this.#node.join(seeds, this.#clock()));
  }

  /** Leaves gracefully; resolves once the goodbye had time to spread. */
  leave(): Promise<void> {
    if (!this.#closed && !this.#leaving) {
      this.#leaving = true;
      this.#log.info("leaving", { node: this.name });
      this.#apply(this.#node.leave(this.#clock()));
    }
    return this.#stopped;
  }

  /** Stops at once, with no goodbye (as a crash would). */
  async stop(): Promise<void> {
    await this.#close();
  }

  /**
   * Freezes the node for `ms` as a stopped process would be: it neither
   * answers nor runs timers, then thaws and carries on (demo and tests).
   */
  freeze(ms: number): void {
    if (this.#closed) return;
    this.#frozenUntilMs = this.#clock() + ms;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wakeAtMs = Infinity;
    this.#log.info("frozen", { node: this.name, ms });
    setTimeout(() => {
      this.#frozenUntilMs = 0;
      if (this.#closed) return;
      this.#log.info("thawed", { node: this.name });
      this.#onTimer();
    }, ms);
  }

  /** Whether the agent has stopped (crashed, left or stopped). */
  get isStopped(): boolean {
    return this.#closed;
  }

  /** Whether the node is frozen right now. */
  get frozen(): boolean {
    return this.#frozenUntilMs > this.#clock();
  }

  /** Resolves when the agent has stopped. */
  get stopped(): Promise<void> {
    return this.#stopped;
  }

  /** Every member known, self included. */
  members(): Member[] {
    return this.#node.members();
  }

  /** This node as the cluster sees it. */
  self(): Member {
    return this.#node.self();
  }

  /** Counters of the core and transport. */
  stats(): NodeStats & { sendErrors: number } {
    return { ...this.#node.stats(), sendErrors: this.#transport.sendErrors };
  }

  /** Whether a join is still waiting for a seed to answer. */
  get joining(): boolean {
    return !this.#node.joined;
  }

  #onDatagram(bytes: Uint8Array, from: string): void {
    if (this.#closed || this.#frozenUntilMs > 0) return;
    if (this.#log.enabled("debug")) {
      this.#log.debug("datagram received", { from, bytes: bytes.length });
    }
    this.#apply(this.#node.receive(from, bytes, this.#clock()));
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#wakeAtMs = Infinity;
    if (this.#closed) return;
    this.#apply(this.#node.tick(this.#clock()));
    this.#checkJoin();
  }

  #apply(effects: Effects): void {
    for (const s of effects.sends) this.#transport.send(s.to, s.bytes);
    for (const e of effects.events) this.#report(e);
    this.#schedule(effects.wakeAtMs);
  }

  #schedule(wakeAtMs: number): void {
    // Keep one timer, armed for the earliest wake-up asked for.
    if (this.#closed || this.#frozenUntilMs > 0) return;
    if (wakeAtMs >= this.#wakeAtMs) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (!Number.isFinite(wakeAtMs)) return;

    this.#wakeAtMs = wakeAtMs;
    const delay = Math.max(0, wakeAtMs - this.#clock());
    this.#timer = setTimeout(() => this.#onTimer(), delay);
  }

  #report(e: NodeEvent): void {
    this.hub.publish(e);
    switch (e.type) {
      case "member":
        return this.#log.info("member state changed", {
          node: e.member.name,
          from: e.from ?? "none",
          to: e.member.state,
          inc: e.member.incarnation,
          addr: e.member.addr,
          by: e.by,
        });
      case "reaped":
        return this.#log.info("member forgotten", { node: e.name });
      case "joined":
        return this.#log.info("joined cluster", { via: e.seeds[0] });
      case "join-retry":
        return this.#log.debug("join retried", { attempt: e.attempt });
      case "refuted":
        return this.#log.info("refuted suspicion", {
          accused: e.accused,
          inc: e.incarnation,
        });
      case "stopped":
        this.#log.info("left cluster", { node: this.name });
        this.#close();
        return;
    }
  }

  #checkJoin(): void {
    if (this.#node.joined || this.#joinWarned || this.#joinStartedMs === 0) {
      return;
    }
    if (this.#clock() - this.#joinStartedMs < JOIN_WARN_MS) return;
    this.#joinWarned = true;
    this.#log.warn("no seed has answered yet; still retrying", {
      waited_s: Math.round((this.#clock() - this.#joinStartedMs) / 1000),
    });
  }

  async #close(): Promise<void> {
    if (this.#closed) return this.#stopped;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#transport.close();
    this.hub.close();
    this.#resolveStopped();
  }
}
