/**
 * The membership core: SWIM failure detection, infection-style gossip and
 * the member registry, as a state machine with no I/O. Feed it datagrams,
 * ticks and commands with the current time; carry out the effects it
 * returns.
 *
 * @module
 */

import {
  type AliveMessage,
  buildFrame,
  decodeFrame,
  type DownMessage,
  type DropReason,
  encodeMessage,
  encodePushPull,
  FRAME_HEADER_BYTES,
  type MemberRecord,
  type Message,
} from "../wire/mod.ts";
import type { Effects, NodeEvent, Outbound } from "./effects.ts";
import {
  isActive,
  type Member,
  type MemberMeta,
  type MemberUpdate,
  supersedes,
} from "./member.ts";
import { BroadcastQueue } from "./broadcasts.ts";
import {
  type CoreOptions,
  type ScaledTimings,
  scaledTimings,
} from "./options.ts";
import { LocalHealth, pickRandom, ProbeOrder, type Random } from "./probe.ts";
import { copyMember, NameTable, Registry } from "./registry.ts";
import { Suspicion } from "./suspicion.ts";
import { newStats, type NodeStats } from "./stats.ts";

/** Who this node is. */
export interface NodeIdentity {
  name: string;
  /** Address others reach us at. */
  addr: string;
  meta: MemberMeta;
  /**
   * First incarnation of this run. Give each run a higher one than any
   * earlier run of the same name (the agent uses wall-clock seconds), so
   * the news of a restart outranks what others remember.
   */
  incarnation: number;
}

/** The probe of the current protocol period. */
interface Probe {
  seq: number;
  target: string;
  targetAddr: string;
  /** When to ask others for indirect probes. */
  indirectAtMs: number;
  /** When to ping the target directly one last time; -1 once done. */
  lastPingAtMs: number;
  /** End of the period: without an ack by then, the target is suspect. */
  endAtMs: number;
  acked: boolean;
  indirectSent: boolean;
  nacksExpected: number;
  nacksReceived: number;
}

/** A ping sent on behalf of another member (indirect probe). */
interface Relay {
  requesterAddr: string;
  requesterSeq: number;
  target: string;
  targetAddr: string;
  /** When to ping the target once more if it has not answered; -1 once done. */
  retryAtMs: number;
  nackAtMs: number;
  expireAtMs: number;
}

interface JoinState {
  seeds: string[];
  attempt: number;
  nextAtMs: number;
}

/** A push-pull from one address is answered at most once in this time. */
const PUSH_PULL_ANSWER_GAP_MS = 1000;
/**
 * Members expected to probe a suspect early on hearing of the suspicion:
 * enough to bring Lifeguard's confirmations in quickly and to carry the
 * suspicion to the suspect, few enough not to flood it.
 */
const EARLY_PROBERS = 6;
/** Interval at which dead and left members are checked for reaping. */
const REAP_CHECK_MS = 1000;
/**
 * Most members told directly of a graceful leave, or of a death this node
 * declared, beyond gossip.
 */
const DIRECT_SENDS = 64;

function aliveMessage(m: Member): Uint8Array {
  return encodeMessage({
    type: "alive",
    name: m.name,
    incarnation: m.incarnation,
    addr: m.addr,
    meta: m.meta,
  });
}

function isDownNews(msg: Message): msg is DownMessage {
  return msg.type === "suspect" || msg.type === "dead" || msg.type === "left";
}

/** One node's view of the cluster and its part in the protocol. */
export class MembershipNode {
  readonly name: string;
  #opts: CoreOptions;
  #random: Random;
  #self: Member;
  #registry: Registry;
  #broadcasts = new BroadcastQueue();
  #suspicions = new Map<string, Suspicion>();
  #order: ProbeOrder;
  #health = new LocalHealth();
  #stats: NodeStats = newStats();

  #seq = 0;
  #probe: Probe | undefined;
  #relays = new Map<number, Relay>();
  #join: JoinState | undefined;
  #pushPullAnswered = new Map<string, number>();
  #seeds: string[] = [];

  #nextProbeMs: number;
  #nextGossipMs: number;
  #nextPushPullMs: number;
  #nextReconnectMs: number;
  #nextReapMs: number;
  #leaveDoneAtMs: number | undefined;
  #stopped = false;

  /** Sender of the datagram being handled, while it is handled. */
  #receivingFrom: string | undefined;
  /** Who told us we are suspect, dead or left: they get our alive. */
  #accuser: string | undefined;

  #sends: Outbound[] = [];
  #events: NodeEvent[] = [];
  /** Scaled timings for the cluster size they were last derived for. */
  #timings: ScaledTimings | undefined;
  #timingsSize = -1;

  /**
   * Creates a node that starts alone, at time `nowMs`. Pass `names` to
   * share one name table among many nodes in one process (a simulator);
   * by default each node has its own.
   */
  constructor(
    opts: CoreOptions,
    identity: NodeIdentity,
    random: Random,
    nowMs: number,
    names: NameTable = new NameTable(),
  ) {
    this.name = identity.name;
    this.#registry = new Registry(names);
    this.#opts = opts;
    this.#random = random;
    this.#order = new ProbeOrder(random);
    this.#self = {
      name: identity.name,
      addr: identity.addr,
      incarnation: identity.incarnation,
      state: "alive",
      stateChangedAtMs: nowMs,
      meta: identity.meta,
    };
    this.#registry.set(this.#self);

    // Stagger the first probe so nodes started together do not beat in step.
    this.#nextProbeMs = nowMs + Math.floor(random() * opts.probeIntervalMs);
    this.#nextGossipMs = nowMs + opts.gossipIntervalMs;
    this.#nextPushPullMs = this.#pushPullDelay(nowMs, opts.pushPullIntervalMs);
    this.#nextReconnectMs = this.#pushPullDelay(
      nowMs,
      opts.pushPullIntervalMs,
    );
    this.#nextReapMs = nowMs + REAP_CHECK_MS;
    this.#broadcastAlive();
  }

  // ---- public API --------------------------------------------------------

  /** Starts joining through `seeds` (addresses), retried until one answers. */
  join(seeds: string[], nowMs: number): Effects {
    if (this.#stopped || this.#leaveDoneAtMs !== undefined) {
      return this.#flush();
    }
    const others = seeds.filter((s) => s !== this.#self.addr);
    this.#seeds = [...new Set([...this.#seeds, ...others])];
    if (others.length === 0) return this.#flush();

    this.#join = { seeds: others, attempt: 0, nextAtMs: nowMs };
    this.#runJoin(nowMs);
    return this.#flush();
  }

  /** Handles one datagram from `fromAddr`. Never throws on bad input. */
  receive(fromAddr: string, bytes: Uint8Array, nowMs: number): Effects {
    if (this.#stopped) return this.#flush();
    this.#stats.packetsIn += 1;
    this.#stats.bytesIn += bytes.length;

    const decoded = decodeFrame(bytes);
    if (!decoded.ok) {
      this.#drop(decoded.reason);
      return this.#flush();
    }

    // memberlist's lesson: apply alive news before suspicions in the same
    // datagram, so a refutation is not undone by the news it refutes. Then
    // the rest of the news, and only then pings and the like: an ack that
    // answers a ping carrying our own suspicion then carries the refutation.
    const messages = decoded.messages;
    this.#receivingFrom = fromAddr;
    for (const msg of messages) {
      if (msg.type === "alive") this.#dispatch(msg, fromAddr, nowMs);
    }
    for (const msg of messages) {
      if (isDownNews(msg)) this.#dispatch(msg, fromAddr, nowMs);
    }
    for (const msg of messages) {
      if (msg.type !== "alive" && !isDownNews(msg)) {
        this.#dispatch(msg, fromAddr, nowMs);
      }
    }
    // Whoever spreads a claim that we are down hears the answer directly,
    // even once our refutation has run out of gossip retransmissions.
    if (this.#accuser !== undefined) {
      this.#send(this.#accuser, [this.#aliveOfSelf()]);
    }
    this.#accuser = undefined;
    this.#receivingFrom = undefined;
    return this.#flush();
  }

  /** Runs every timer due at `nowMs`. */
  tick(nowMs: number): Effects {
    if (this.#stopped) return this.#flush();

    if (this.#leaveDoneAtMs !== undefined && nowMs >= this.#leaveDoneAtMs) {
      this.#stopped = true;
      this.#events.push({ type: "stopped", atMs: nowMs });
      return this.#flush();
    }
    this.#runJoin(nowMs);
    this.#runProbe(nowMs);
    this.#runRelays(nowMs);
    this.#runSuspicions(nowMs);
    this.#runGossip(nowMs);
    this.#runPushPull(nowMs);
    this.#runReap(nowMs);
    return this.#flush();
  }

  /**
   * Leaves gracefully: tells the cluster this node has left, keeps
   * gossiping for leavePropagateMs, then reports `stopped`.
   */
  leave(nowMs: number): Effects {
    if (this.#stopped || this.#leaveDoneAtMs !== undefined) {
      return this.#flush();
    }
    this.#join = undefined;
    this.#probe = undefined;
    this.#leaveDoneAtMs = nowMs + this.#opts.leavePropagateMs;
    this.#setSelf("left", this.#self.incarnation, nowMs);

    // Say goodbye to members directly as well as by gossip, so that LEFT
    // reaches everyone in one hop in small and medium clusters.
    this.#tellDirectly(this.#self);
    return this.#flush();
  }

  /** Copies of every member known, self included. */
  members(): Member[] {
    return this.#registry.snapshot();
  }

  /** The state this node holds `name` in, if it knows it; O(1). */
  stateOf(name: string): Member["state"] | undefined {
    return this.#registry.stateOf(name);
  }

  /**
   * Simulation shortcut: records `members` as alive, as if learned long
   * ago, with no news queued about them and no events. Names already known
   * (and this node's own) are left alone. It lets a simulator start a large
   * formed cluster without replaying its formation, whose gossip costs
   * O(N^2) datagrams and queued broadcasts; real nodes join through seeds.
   */
  preload(members: readonly Member[], nowMs: number): void {
    this.#registry.reserve(members.length);
    for (const m of members) {
      if (m.state !== "alive" || this.#registry.has(m.name)) continue;
      this.#registry.set({ ...m, by: undefined, stateChangedAtMs: nowMs });
    }
  }

  /** This node as others should see it. */
  self(): Member {
    return copyMember(this.#self);
  }

  /** Counters since start. */
  stats(): NodeStats {
    return {
      ...this.#stats,
      drops: { ...this.#stats.drops },
      healthScore: this.#health.score,
      broadcastQueue: this.#broadcasts.size,
    };
  }

  /** Whether the node has finished leaving. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Whether some seed or member has answered a join. */
  get joined(): boolean {
    return this.#join === undefined;
  }

  // ---- dispatch ----------------------------------------------------------

  #dispatch(msg: Message, fromAddr: string, nowMs: number): void {
    switch (msg.type) {
      case "ping":
        return this.#onPing(msg.seq, msg.from, msg.target, fromAddr);
      case "ping-req":
        return this.#onPingReq(msg, fromAddr, nowMs);
      case "ack":
        return this.#onAck(msg.seq, msg.from);
      case "nack":
        return this.#onNack(msg.seq);
      case "alive":
        return this.#onAlive(msg, nowMs);
      case "suspect":
      case "dead":
      case "left":
        return this.#onDown(msg, nowMs);
      case "push-pull":
        return this.#onPushPull(msg, fromAddr, nowMs);
    }
  }

  #onPing(seq: number, from: string, target: string, fromAddr: string): void {
    // A ping for another name reached us at a reused address: stay silent,
    // so the prober does not take our ack as the target's.
    if (target !== this.name) {
      this.#stats.drops.misdirected += 1;
      return;
    }

    // Lifeguard's buddy system, both ways: if we hold the prober suspect
    // or dead, tell it in the ack so it can refute at once.
    const extra: Uint8Array[] = [];
    if (this.#accuser === fromAddr) {
      extra.push(this.#aliveOfSelf());
      this.#accuser = undefined;
    }
    const proberState = this.#registry.stateOf(from);
    if (proberState === "suspect" || proberState === "dead") {
      const prober = this.#registry.get(from)!;
      extra.push(encodeMessage(this.#downMessage(prober)));
    }
    this.#sendWithGossip(fromAddr, [
      encodeMessage({ type: "ack", seq, from: this.name }),
      ...extra,
    ]);
  }

  #onPingReq(
    msg: Extract<Message, { type: "ping-req" }>,
    fromAddr: string,
    nowMs: number,
  ): void {
    if (this.#leaveDoneAtMs !== undefined) return;

    const seq = this.#nextSeq();
    this.#relays.set(seq, {
      requesterAddr: fromAddr,
      requesterSeq: msg.seq,
      target: msg.target,
      targetAddr: msg.targetAddr,
      retryAtMs: nowMs + Math.floor(this.#opts.probeTimeoutMs * 0.4),
      nackAtMs: nowMs + Math.floor(this.#opts.probeTimeoutMs * 0.8),
      expireAtMs: nowMs + this.#opts.probeIntervalMs,
    });
    this.#sendPing(seq, msg.target, msg.targetAddr);
  }

  #onAck(seq: number, from: string): void {
    // An ack for a ping we relayed goes back to whoever asked.
    const relay = this.#relays.get(seq);
    if (relay) {
      this.#relays.delete(seq);
      this.#sendWithGossip(relay.requesterAddr, [
        encodeMessage({ type: "ack", seq: relay.requesterSeq, from }),
      ]);
      return;
    }

    const probe = this.#probe;
    if (!probe || probe.seq !== seq || probe.acked) return;
    probe.acked = true;
    this.#health.apply(-1);
  }

  #onNack(seq: number): void {
    if (this.#probe?.seq === seq) this.#probe.nacksReceived += 1;
  }

  // ---- membership news ---------------------------------------------------

  #onAlive(msg: AliveMessage, nowMs: number): void {
    this.#applyUpdate({
      name: msg.name,
      incarnation: msg.incarnation,
      state: "alive",
      addr: msg.addr,
      meta: msg.meta,
    }, nowMs);
  }

  #onDown(msg: DownMessage, nowMs: number): void {
    this.#applyUpdate({
      name: msg.name,
      incarnation: msg.incarnation,
      state: msg.type,
      by: msg.by,
    }, nowMs);
  }

  /** Applies one piece of news; the single place member state changes. */
  #applyUpdate(u: MemberUpdate, nowMs: number): void {
    if (u.name === this.name) return this.#onNewsOfSelf(u, nowMs);

    // Read state and incarnation alone: most news is old news, and
    // building the member for it would be wasted.
    const state = this.#registry.stateOf(u.name);
    if (state === undefined) return this.#learnMember(u, nowMs);
    const incarnation = this.#registry.incarnationOf(u.name)!;

    // Lifeguard: a repeat suspicion from another member is a confirmation
    // that shortens the timeout; spread it only if it is new.
    if (
      u.state === "suspect" && state === "suspect" &&
      u.incarnation === incarnation
    ) {
      const s = this.#suspicions.get(u.name);
      if (s && u.by && s.confirm(u.by)) {
        this.#enqueueDown(this.#registry.get(u.name)!, u.by);
      }
      return;
    }
    if (!supersedes(u, { state, incarnation })) return;

    const current = this.#registry.get(u.name)!;
    const next: Member = {
      ...current,
      incarnation: u.incarnation,
      state: u.state,
      addr: u.addr ?? current.addr,
      meta: u.meta ?? current.meta,
      by: u.state === "alive" ? undefined : u.by,
      stateChangedAtMs: u.state === current.state
        ? current.stateChangedAtMs
        : nowMs,
    };
    this.#commit(current, next, nowMs);
  }

  /** A member we had not heard of: only news with an address adds it. */
  #learnMember(u: MemberUpdate, nowMs: number): void {
    if (!u.addr || !u.meta || !isActive(u.state)) return;

    const member: Member = {
      name: u.name,
      addr: u.addr,
      incarnation: u.incarnation,
      state: u.state,
      stateChangedAtMs: nowMs,
      meta: u.meta,
      by: u.state === "alive" ? undefined : u.by,
    };
    this.#order.insert(member.name);
    this.#commit(undefined, member, nowMs);
  }

  /** Stores a change, keeps timers in step, spreads it and reports it. */
  #commit(before: Member | undefined, after: Member, nowMs: number): void {
    this.#registry.set(after);

    if (after.state === "suspect") {
      this.#startSuspicion(after, after.by ?? this.name, nowMs);
    } else {
      this.#suspicions.delete(after.name);
    }
    if (before && !isActive(before.state) && isActive(after.state)) {
      this.#order.insert(after.name);
    }

    if (after.state === "alive") this.#enqueueAlive(after);
    else this.#enqueueDown(after, after.by ?? this.name);

    const changed = !before || before.state !== after.state ||
      before.addr !== after.addr;
    if (changed || before.meta !== after.meta) {
      this.#events.push({
        type: "member",
        from: before?.state ?? null,
        member: copyMember(after),
        by: after.by,
        atMs: nowMs,
      });
    }
  }

  #startSuspicion(m: Member, by: string, nowMs: number): void {
    // Heard from another member: check the suspect ourselves next period.
    // In a large cluster only a few members do, about EARLY_PROBERS of
    // them, so the suspect is not flooded with probes from everyone.
    const timings = this.#scaledTimings();
    if (by !== this.name) {
      const others = Math.max(1, this.#registry.activeCount - 2);
      if (this.#random() * others < EARLY_PROBERS) {
        this.#order.probeSoon(m.name);
      }
    }
    this.#suspicions.set(
      m.name,
      new Suspicion(m.incarnation, by, nowMs, timings),
    );
  }

  /**
   * News about ourselves. SWIM: only we raise our incarnation, and we do so
   * to refute any claim that we are not alive, or to outrank an earlier run
   * of this node that others still remember.
   */
  #onNewsOfSelf(u: MemberUpdate, nowMs: number): void {
    if (this.#leaveDoneAtMs !== undefined) return;
    if (u.state !== "alive") this.#accuser = this.#receivingFrom;

    const mine = this.#self.incarnation;
    const accused = u.state !== "alive" && u.incarnation >= mine;
    const stale = u.state === "alive" && (u.incarnation > mine ||
      (u.incarnation === mine && u.addr !== this.#self.addr));
    if (!accused && !stale) return;

    const incarnation = Math.max(mine, u.incarnation) + 1;
    this.#health.apply(accused ? 1 : 0);
    if (accused) this.#stats.refutes += 1;
    this.#setSelf("alive", incarnation, nowMs);
    this.#events.push({
      type: "refuted",
      incarnation,
      accused: u.state,
      atMs: nowMs,
    });
  }

  #setSelf(
    state: Member["state"],
    incarnation: number,
    nowMs: number,
  ): void {
    const before = this.#self;
    this.#self = {
      ...before,
      state,
      incarnation,
      by: state === "left" ? this.name : undefined,
      stateChangedAtMs: state === before.state
        ? before.stateChangedAtMs
        : nowMs,
    };
    this.#registry.set(this.#self);
    if (state === "alive") this.#broadcastAlive();
    else this.#enqueueDown(this.#self, this.name);

    if (state !== before.state) {
      this.#events.push({
        type: "member",
        from: before.state,
        member: copyMember(this.#self),
        by: this.#self.by,
        atMs: nowMs,
      });
    }
  }

  // ---- push-pull and join ------------------------------------------------

  #onPushPull(
    msg: Extract<Message, { type: "push-pull" }>,
    fromAddr: string,
    nowMs: number,
  ): void {
    for (const r of msg.members) this.#mergeRecord(r, msg.from, nowMs);

    // A long list arrives in several parts; answer the first part only,
    // not each one, or one exchange costs parts x parts datagrams.
    if (!msg.reply && this.#firstPartFrom(fromAddr, nowMs)) {
      this.#sendPushPull(fromAddr, true);
    }
    // Only a seed's own answer ends a join: acks from members we already
    // know must not cancel a join through a seed that is still silent.
    const seed = this.#join?.seeds.includes(fromAddr) ||
      msg.members.some((r) =>
        r.name === msg.from && this.#join?.seeds.includes(r.addr)
      );
    if (this.#join && msg.reply && seed) this.#joinDone(fromAddr, nowMs);
  }

  /** Whether no push-pull from `addr` was answered in the last second. */
  #firstPartFrom(addr: string, nowMs: number): boolean {
    const last = this.#pushPullAnswered.get(addr);
    if (last !== undefined && nowMs - last < PUSH_PULL_ANSWER_GAP_MS) {
      return false;
    }
    if (this.#pushPullAnswered.size >= 1024) {
      for (const [a, at] of this.#pushPullAnswered) {
        if (nowMs - at >= PUSH_PULL_ANSWER_GAP_MS) {
          this.#pushPullAnswered.delete(a);
        }
      }
    }
    this.#pushPullAnswered.set(addr, nowMs);
    return true;
  }

  #mergeRecord(r: MemberRecord, from: string, nowMs: number): void {
    // memberlist's caution: a full-state "dead" is second-hand and may be
    // stale, so it only raises a suspicion that the member can refute.
    const state = r.state === "dead" ? "suspect" : r.state;
    this.#applyUpdate({
      name: r.name,
      incarnation: r.incarnation,
      state,
      addr: r.addr,
      meta: r.meta,
      by: from,
    }, nowMs);
  }

  #sendPushPull(toAddr: string, reply: boolean): void {
    const records: MemberRecord[] = [];
    for (const m of this.#registry.values()) {
      records.push({
        name: m.name,
        addr: m.addr,
        incarnation: m.incarnation,
        state: m.state,
        meta: m.meta,
      });
    }
    const frames = encodePushPull(
      this.name,
      reply,
      records,
      this.#opts.maxPacketBytes,
    );
    for (const bytes of frames) this.#emit(toAddr, bytes);
  }

  #runJoin(nowMs: number): void {
    const join = this.#join;
    if (!join || nowMs < join.nextAtMs) return;

    join.attempt += 1;
    for (const seed of join.seeds) this.#sendPushPull(seed, false);

    const backoff = Math.min(
      this.#opts.joinRetryMaxMs,
      this.#opts.joinRetryMinMs * 2 ** (join.attempt - 1),
    );
    join.nextAtMs = nowMs + backoff;
    if (join.attempt > 1) {
      this.#events.push({
        type: "join-retry",
        seeds: [...join.seeds],
        attempt: join.attempt,
        atMs: nowMs,
      });
    }
  }

  #joinDone(via: string, nowMs: number): void {
    const attempt = this.#join?.attempt ?? 0;
    this.#join = undefined;
    // Sync once more soon after joining: when many nodes start together,
    // the seed answered us before it knew the others, and gossip about
    // them may all have gone elsewhere. Otherwise we would wait for the
    // periodic sync (15 to 45 s by default) to learn of them.
    const soon = nowMs +
      Math.floor(this.#opts.probeIntervalMs * (1 + this.#random()));
    if (this.#opts.pushPullIntervalMs > 0) {
      this.#nextPushPullMs = Math.min(this.#nextPushPullMs, soon);
    }
    this.#events.push({ type: "joined", seeds: [via], attempt, atMs: nowMs });
  }

  #runPushPull(nowMs: number): void {
    // Sync with one live peer, less often in larger clusters (its cost
    // grows with the member list).
    if (nowMs >= this.#nextPushPullMs) {
      const every = this.#scaledTimings().pushPullIntervalMs;
      this.#nextPushPullMs = this.#pushPullDelay(nowMs, every);
      const active = this.#registry.activeNames(this.name);
      const [peer] = pickRandom(active, 1, this.#random);
      if (peer && this.#leaveDoneAtMs === undefined) {
        this.#sendPushPull(this.#addrOf(peer), false);
      }
    }

    // Reach out to one dead member (or, when alone, a seed) at the base
    // interval whatever the size: after a partition heals, that is how the
    // two sides find each other again, as Serf's reconnect loop does.
    if (nowMs >= this.#nextReconnectMs) {
      const every = this.#opts.pushPullIntervalMs;
      this.#nextReconnectMs = this.#pushPullDelay(nowMs, every);
      const dead = this.#registry.inactive()
        .filter((m) => m.state === "dead").map((m) => m.addr);
      const alone = this.#registry.activeCount <= 1;
      const lost = alone ? [...this.#seeds, ...dead] : dead;
      const [other] = pickRandom(lost, 1, this.#random);
      if (other && this.#leaveDoneAtMs === undefined) {
        this.#sendPushPull(other, false);
      }
    }
  }

  #pushPullDelay(nowMs: number, every: number): number {
    if (every <= 0) return Infinity;
    return nowMs + Math.floor(every * (0.5 + this.#random()));
  }

  // ---- probing -----------------------------------------------------------

  #runProbe(nowMs: number): void {
    const probe = this.#probe;
    if (probe && !probe.acked && !probe.indirectSent) {
      if (nowMs >= probe.indirectAtMs) this.#sendIndirect(probe);
    }
    // A third direct ping late in the period: where memberlist falls back
    // to TCP, we try UDP once more. It costs a datagram only when the target
    // has not answered, and under packet loss it spares a live member most
    // false suspicions.
    if (
      probe && !probe.acked && probe.indirectSent && probe.lastPingAtMs >= 0
    ) {
      if (nowMs >= probe.lastPingAtMs) {
        probe.lastPingAtMs = -1;
        this.#sendPing(probe.seq, probe.target, probe.targetAddr);
      }
    }
    if (probe && nowMs >= probe.endAtMs) this.#endProbe(probe, nowMs);
    if (nowMs < this.#nextProbeMs || this.#leaveDoneAtMs !== undefined) {
      return;
    }

    const period = this.#opts.probeIntervalMs * this.#health.scale;
    this.#nextProbeMs = nowMs + period;
    const target = this.#order.next(
      () => this.#registry.activeNames(this.name),
      (name) => isActive(this.#registry.stateOf(name) ?? "dead"),
    );
    if (!target) return;

    const addr = this.#addrOf(target);
    const seq = this.#nextSeq();
    const indirectAtMs = nowMs +
      this.#opts.probeTimeoutMs * this.#health.scale;
    const endAtMs = nowMs + period;
    this.#probe = {
      seq,
      target,
      targetAddr: addr,
      indirectAtMs,
      lastPingAtMs: Math.floor((indirectAtMs + endAtMs) / 2),
      endAtMs,
      acked: false,
      indirectSent: false,
      nacksExpected: 0,
      nacksReceived: 0,
    };
    this.#stats.probes += 1;
    this.#sendPing(seq, target, addr);
  }

  #sendPing(seq: number, target: string, addr: string): void {
    // Lifeguard's buddy system: a suspect learns it is suspected from the
    // probe itself and can refute without waiting for gossip.
    const extra: Uint8Array[] = [];
    if (this.#registry.stateOf(target) === "suspect") {
      const member = this.#registry.get(target)!;
      extra.push(encodeMessage(this.#downMessage(member)));
    }
    this.#sendWithGossip(addr, [
      encodeMessage({ type: "ping", seq, from: this.name, target }),
      ...extra,
    ]);
  }

  #sendIndirect(probe: Probe): void {
    probe.indirectSent = true;
    const helpers = this.#registry.pick(
      "alive",
      this.#opts.indirectChecks,
      this.#random,
      [this.name, probe.target],
    );
    probe.nacksExpected = helpers.length;
    if (helpers.length > 0) this.#stats.indirectProbes += 1;

    const req = encodeMessage({
      type: "ping-req",
      seq: probe.seq,
      from: this.name,
      target: probe.target,
      targetAddr: probe.targetAddr,
    });
    for (const h of helpers) this.#send(this.#addrOf(h), [req]);

    // A second direct ping costs one datagram and rescues a lost first one.
    this.#sendPing(probe.seq, probe.target, probe.targetAddr);
  }

  #endProbe(probe: Probe, nowMs: number): void {
    this.#probe = undefined;
    if (probe.acked) return;

    // Lifeguard: helpers that did not even nack suggest our own network is
    // the problem, so we slow down rather than accuse. When every helper
    // nacked, our network works and the target alone is silent: no
    // penalty, or each real failure would slow our probing for a while.
    // With no helpers to judge by, any failed probe counts against us.
    this.#stats.probesFailed += 1;
    const missing = probe.nacksExpected - probe.nacksReceived;
    this.#health.apply(probe.nacksExpected > 0 ? Math.max(0, missing) : 1);

    // Suspect a live target; for one already suspect at the same
    // incarnation this counts as an independent confirmation (Lifeguard).
    const target = this.#registry.get(probe.target);
    if (!target || !isActive(target.state)) return;
    if (target.state === "alive") this.#stats.suspicionsRaised += 1;
    this.#applyUpdate({
      name: target.name,
      incarnation: target.incarnation,
      state: "suspect",
      by: this.name,
    }, nowMs);
  }

  #runRelays(nowMs: number): void {
    if (this.#relays.size === 0) return;
    for (const [seq, relay] of this.#relays) {
      // One more ping if the target is still silent: a lost datagram on
      // either leg should not cost the requester its answer.
      if (relay.retryAtMs >= 0 && relay.retryAtMs <= nowMs) {
        relay.retryAtMs = -1;
        this.#sendPing(seq, relay.target, relay.targetAddr);
      }
      if (relay.nackAtMs <= nowMs && relay.nackAtMs >= 0) {
        this.#send(relay.requesterAddr, [
          encodeMessage({
            type: "nack",
            seq: relay.requesterSeq,
            from: this.name,
          }),
        ]);
        relay.nackAtMs = -1;
      }
      if (relay.expireAtMs <= nowMs) this.#relays.delete(seq);
    }
  }

  #runSuspicions(nowMs: number): void {
    if (this.#suspicions.size === 0) return;
    for (const [name, s] of this.#suspicions) {
      if (nowMs < s.deadlineMs) continue;
      this.#suspicions.delete(name);

      const m = this.#registry.get(name);
      if (!m || m.state !== "suspect" || m.incarnation !== s.incarnation) {
        continue;
      }
      this.#applyUpdate({
        name,
        incarnation: m.incarnation,
        state: "dead",
        by: this.name,
      }, nowMs);
      // Our timer ran out first: tell members directly as well as by
      // gossip, so the death is known everywhere one hop later.
      this.#tellDirectly(this.#registry.get(name)!);
    }
  }

  // ---- gossip ------------------------------------------------------------

  #runGossip(nowMs: number): void {
    if (nowMs < this.#nextGossipMs) return;
    this.#nextGossipMs = nowMs + this.#opts.gossipIntervalMs;
    if (this.#broadcasts.size === 0) return;

    const targets = this.#registry.pick(
      "active",
      this.#opts.gossipFanout,
      this.#random,
      [this.name],
    );
    for (const name of targets) this.#sendWithGossip(this.#addrOf(name), []);
  }

  #runReap(nowMs: number): void {
    if (nowMs < this.#nextReapMs) return;
    this.#nextReapMs = nowMs + REAP_CHECK_MS;

    for (const m of this.#registry.inactive()) {
      if (m.name === this.name) continue;
      if (nowMs - m.stateChangedAtMs < this.#opts.reapAfterMs) continue;
      this.#registry.delete(m.name);
      this.#broadcasts.drop(m.name);
      this.#events.push({ type: "reaped", name: m.name, atMs: nowMs });
    }
  }

  // ---- sending -----------------------------------------------------------

  #broadcastAlive(): void {
    this.#enqueueAlive(this.#self);
  }

  #enqueueAlive(m: Member): void {
    this.#broadcasts.enqueue(m.name, aliveMessage(m));
  }

  #aliveOfSelf(): Uint8Array {
    return aliveMessage(this.#self);
  }

  #enqueueDown(m: Member, by: string): void {
    this.#broadcasts.enqueue(
      m.name,
      encodeMessage({ ...this.#downMessage(m), by }),
    );
  }

  /** Sends `m`'s down state to up to DIRECT_SENDS random live members. */
  #tellDirectly(m: Member): void {
    const names = pickRandom(
      this.#registry.activeNames(this.name),
      DIRECT_SENDS,
      this.#random,
    );
    const news = encodeMessage(this.#downMessage(m));
    for (const name of names) {
      this.#sendWithGossip(this.#addrOf(name), [news]);
    }
  }

  #downMessage(m: Member): DownMessage {
    const type = m.state === "alive" ? "suspect" : m.state;
    return { type, name: m.name, incarnation: m.incarnation, by: this.name };
  }

  /** Sends `parts` to `to`, filling the rest of the datagram with gossip. */
  #sendWithGossip(to: string, parts: Uint8Array[]): void {
    let used = FRAME_HEADER_BYTES;
    for (const p of parts) used += p.length;

    const limit = this.#scaledTimings().retransmitLimit;
    const gossip = this.#broadcasts.take(
      this.#opts.maxPacketBytes - used,
      limit,
    );
    const all = [...parts, ...gossip];
    if (all.length > 0) this.#send(to, all);
  }

  #send(to: string, parts: Uint8Array[]): void {
    this.#emit(to, buildFrame(parts));
  }

  #emit(to: string, bytes: Uint8Array): void {
    this.#stats.packetsOut += 1;
    this.#stats.bytesOut += bytes.length;
    this.#sends.push({ to, bytes });
  }

  #addrOf(name: string): string {
    const addr = this.#registry.addrOf(name);
    if (addr === undefined) {
      throw new Error(`bug: no address for unknown member ${name}`);
    }
    return addr;
  }

  /** Timings for the current cluster size, derived again when it changes. */
  #scaledTimings(): ScaledTimings {
    const n = this.#registry.activeCount;
    if (this.#timings === undefined || n !== this.#timingsSize) {
      this.#timings = scaledTimings(this.#opts, n);
      this.#timingsSize = n;
    }
    return this.#timings;
  }

  #nextSeq(): number {
    this.#seq = (this.#seq + 1) >>> 0;
    return this.#seq;
  }

  #drop(reason: DropReason): void {
    this.#stats.drops[reason] += 1;
  }

  // ---- effects -----------------------------------------------------------

  #flush(): Effects {
    const effects: Effects = {
      sends: this.#sends,
      wakeAtMs: this.#wakeAt(),
      events: this.#events,
    };
    this.#sends = [];
    this.#events = [];
    return effects;
  }

  #wakeAt(): number {
    if (this.#stopped) return Infinity;
    if (this.#leaveDoneAtMs !== undefined) {
      return Math.min(this.#leaveDoneAtMs, this.#nextGossipMs);
    }

    let at = Math.min(
      this.#nextProbeMs,
      this.#nextPushPullMs,
      this.#nextReconnectMs,
    );
    // Timers with nothing to do need not wake us, so an idle node wakes for
    // its probes only. News queued later goes out at the first tick after
    // its gossip slot; the dead and left are checked for reaping likewise.
    if (this.#registry.size > this.#registry.activeCount) {
      at = Math.min(at, this.#nextReapMs);
    }
    if (this.#broadcasts.size > 0 && this.#registry.activeCount > 1) {
      at = Math.min(at, this.#nextGossipMs);
    }
    if (this.#join) at = Math.min(at, this.#join.nextAtMs);
    if (this.#probe) {
      const p = this.#probe;
      at = Math.min(at, p.endAtMs);
      if (!p.indirectSent && !p.acked) at = Math.min(at, p.indirectAtMs);
      if (p.indirectSent && !p.acked && p.lastPingAtMs >= 0) {
        at = Math.min(at, p.lastPingAtMs);
      }
    }
    if (this.#relays.size > 0) at = Math.min(at, this.#relaysDue());
    if (this.#suspicions.size > 0) at = Math.min(at, this.#suspicionsDue());
    return at;
  }

  #relaysDue(): number {
    let at = Infinity;
    for (const r of this.#relays.values()) {
      at = Math.min(at, r.nackAtMs >= 0 ? r.nackAtMs : r.expireAtMs);
      if (r.retryAtMs >= 0) at = Math.min(at, r.retryAtMs);
    }
    return at;
  }

  #suspicionsDue(): number {
    let at = Infinity;
    for (const s of this.#suspicions.values()) at = Math.min(at, s.deadlineMs);
    return at;
  }
}
