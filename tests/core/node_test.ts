import assert from "node:assert/strict";
import {
  defaultCoreOptions,
  type Effects,
  type MemberEvent,
  MembershipNode,
} from "../../src/core/mod.ts";
import { seededRandom } from "../../src/sim/prng.ts";
import {
  decodeFrame,
  encodeFrame,
  encodePushPull,
  type Message,
} from "../../src/wire/mod.ts";

const META = { cpus: 1, memoryMiB: 512, tags: {} };
const ADDR: Record<string, string> = {
  a: "10.0.0.1:7946",
  b: "10.0.0.2:7946",
  c: "10.0.0.3:7946",
  d: "10.0.0.4:7946",
};

/** Node "a" that already knows b, c and d as alive at incarnation 1. */
function nodeWithPeers(): { node: MembershipNode; effects: Effects } {
  const node = new MembershipNode(
    defaultCoreOptions(),
    {
      name: "a",
      addr: ADDR.a,
      meta: META,
      incarnation: 1,
    },
    seededRandom(7),
    0,
  );
  const members = ["b", "c", "d"].map((name) => ({
    name,
    addr: ADDR[name],
    incarnation: 1,
    state: "alive" as const,
    meta: META,
  }));
  const effects = node.receive(
    ADDR.b,
    encodeFrame([{ type: "push-pull", from: "b", reply: true, members }]),
    1,
  );
  return { node, effects };
}

function messages(effects: Effects): { to: string; msg: Message }[] {
  return effects.sends.flatMap((s) => {
    const d = decodeFrame(s.bytes);
    assert.ok(d.ok, "the core sent a datagram that does not decode");
    return d.messages.map((msg) => ({ to: s.to, msg }));
  });
}

function memberEvents(effects: Effects): MemberEvent[] {
  return effects.events.filter((e): e is MemberEvent => e.type === "member");
}

/** Ticks at each wake-up until `until` returns true or 60 s pass. */
function runUntil(
  node: MembershipNode,
  start: Effects,
  until: (e: Effects, now: number) => boolean,
): { effects: Effects; now: number } {
  let effects = start;
  let now = 0;
  while (now < 60_000) {
    now = effects.wakeAtMs;
    effects = node.tick(now);
    if (until(effects, now)) return { effects, now };
  }
  throw new Error("condition not reached within 60 s of virtual time");
}

Deno.test("MembershipNode learns members from a push-pull answer", () => {
  const { node, effects } = nodeWithPeers();

  assert.deepEqual(
    node.members().map((m) => `${m.name}:${m.state}`).sort(),
    ["a:alive", "b:alive", "c:alive", "d:alive"],
  );
  assert.equal(memberEvents(effects).length, 3);
});

Deno.test("MembershipNode probes, asks for indirect probes, suspects, then declares dead", () => {
  const { node, effects } = nodeWithPeers();

  // A direct ping goes out at the first protocol period.
  const ping = runUntil(
    node,
    effects,
    (e) => messages(e).some((m) => m.msg.type === "ping"),
  );
  const sent = messages(ping.effects).find((m) => m.msg.type === "ping")!;
  const target = (sent.msg as Extract<Message, { type: "ping" }>).target;
  assert.equal(sent.to, ADDR[target]);

  // No ack within the probe timeout: the other two members are asked.
  const indirect = runUntil(
    node,
    ping.effects,
    (e) => messages(e).some((m) => m.msg.type === "ping-req"),
  );
  const helpers = messages(indirect.effects)
    .filter((m) => m.msg.type === "ping-req").map((m) => m.to).sort();
  const others = ["b", "c", "d"].filter((n) => n !== target);
  assert.deepEqual(helpers, others.map((n) => ADDR[n]).sort());
  assert.equal(indirect.now - ping.now, defaultCoreOptions().probeTimeoutMs);

  // Nothing by the end of the period: suspect, and the news is queued.
  const suspect = runUntil(
    node,
    indirect.effects,
    (e) => memberEvents(e).some((ev) => ev.member.state === "suspect"),
  );
  const ev = memberEvents(suspect.effects)[0];
  assert.equal(ev.member.name, target);
  assert.equal(ev.by, "a");
  assert.equal(node.stats().probesFailed, 1);

  // No confirmation and no refutation: dead after the suspicion timeout.
  const dead = runUntil(
    node,
    suspect.effects,
    (e) =>
      memberEvents(e).some((x) =>
        x.member.name === target && x.member.state === "dead"
      ),
  );
  assert.ok(dead.now - suspect.now >= 2000, "suspicion ended too early");
  assert.ok(dead.now - suspect.now <= 4000, "suspicion ended too late");
});

Deno.test("MembershipNode keeps a member alive when an ack arrives in time", () => {
  const { node, effects } = nodeWithPeers();
  const ping = runUntil(
    node,
    effects,
    (e) => messages(e).some((m) => m.msg.type === "ping"),
  );
  const p = messages(ping.effects).find((m) => m.msg.type === "ping")!
    .msg as Extract<Message, { type: "ping" }>;

  node.receive(
    ADDR[p.target],
    encodeFrame([{ type: "ack", seq: p.seq, from: p.target }]),
    ping.now + 5,
  );

  // Through the end of this protocol period: no helper is asked about it.
  let effects2 = ping.effects;
  let now = ping.now;
  while (now < ping.now + defaultCoreOptions().probeIntervalMs) {
    now = effects2.wakeAtMs;
    effects2 = node.tick(now);
    const reqs = messages(effects2).filter((m) => m.msg.type === "ping-req");
    assert.ok(!reqs.some((m) => (m.msg as { seq: number }).seq === p.seq));
  }
  assert.equal(
    node.members().find((m) => m.name === p.target)?.state,
    "alive",
  );
  assert.equal(node.stats().probesFailed, 0);
});

Deno.test("MembershipNode takes an ack relayed by a helper as proof of life", () => {
  const { node, effects } = nodeWithPeers();
  const indirect = runUntil(
    node,
    effects,
    (e) => messages(e).some((m) => m.msg.type === "ping-req"),
  );
  const req = messages(indirect.effects).find((m) => m.msg.type === "ping-req")!
    .msg as Extract<Message, { type: "ping-req" }>;

  node.receive(
    ADDR.b,
    encodeFrame([{ type: "ack", seq: req.seq, from: req.target }]),
    indirect.now + 10,
  );
  runUntil(node, indirect.effects, (_e, now) => now > indirect.now + 1000);
  assert.notEqual(
    node.members().find((m) => m.name === req.target)?.state,
    "suspect",
  );
});

Deno.test("MembershipNode refutes a suspicion of itself with a higher incarnation", () => {
  const { node } = nodeWithPeers();
  const effects = node.receive(
    ADDR.b,
    encodeFrame([{ type: "suspect", name: "a", incarnation: 1, by: "b" }]),
    10,
  );

  assert.deepEqual(
    effects.events.map((e) => e.type === "refuted" && e.incarnation),
    [2],
  );
  assert.equal(node.self().incarnation, 2);
  assert.equal(node.self().state, "alive");

  // The refutation rides on the next gossip round.
  const next = runUntil(
    node,
    effects,
    (e) =>
      messages(e).some((m) => m.msg.type === "alive" && m.msg.name === "a"),
  );
  const alive = messages(next.effects).find((m) =>
    m.msg.type === "alive" && m.msg.name === "a"
  )!.msg as Extract<Message, { type: "alive" }>;
  assert.equal(alive.incarnation, 2);
});

Deno.test("MembershipNode drops a suspicion once the member refutes it", () => {
  const { node } = nodeWithPeers();
  node.receive(
    ADDR.c,
    encodeFrame([{ type: "suspect", name: "b", incarnation: 1, by: "c" }]),
    10,
  );
  assert.equal(node.members().find((m) => m.name === "b")?.state, "suspect");

  const effects = node.receive(
    ADDR.b,
    encodeFrame([{
      type: "alive",
      name: "b",
      incarnation: 2,
      addr: ADDR.b,
      meta: META,
    }]),
    20,
  );
  assert.equal(node.members().find((m) => m.name === "b")?.state, "alive");

  // The first suspicion's timer is gone: b is not declared dead at
  // incarnation 1 by its deadline (4 s with no confirmation). Nobody
  // answers probes here, so a's own probes may suspect b again, but only
  // at the incarnation b refuted with.
  const downs: string[] = [];
  runUntil(node, effects, (e, now) => {
    for (const ev of memberEvents(e)) {
      if (ev.member.name === "b" && ev.member.state !== "alive") {
        downs.push(`${ev.member.state}@${ev.member.incarnation}`);
      }
    }
    return now > 4100;
  });
  assert.ok(!downs.includes("dead@1"), downs.join(","));
  assert.ok(downs.every((d) => d.endsWith("@2")), downs.join(","));
});

Deno.test("MembershipNode confirmations from others shorten the suspicion", () => {
  const timeToDead = (confirmers: string[]) => {
    const { node } = nodeWithPeers();
    let effects = node.receive(
      ADDR.c,
      encodeFrame([{ type: "suspect", name: "b", incarnation: 1, by: "c" }]),
      10,
    );
    for (const by of confirmers) {
      effects = node.receive(
        ADDR[by],
        encodeFrame([{ type: "suspect", name: "b", incarnation: 1, by }]),
        11,
      );
    }
    return runUntil(
      node,
      effects,
      () => node.members().find((m) => m.name === "b")?.state === "dead",
    ).now;
  };
  assert.ok(timeToDead(["d"]) < timeToDead([]));
});

Deno.test("MembershipNode leaves: tells every member, then stops", () => {
  const { node } = nodeWithPeers();
  const effects = node.leave(100);

  const told = [
    ...new Set(
      messages(effects).filter((m) =>
        m.msg.type === "left" && m.msg.name === "a"
      ).map((m) => m.to),
    ),
  ].sort();
  assert.deepEqual(told, [ADDR.b, ADDR.c, ADDR.d]);
  assert.equal(node.self().state, "left");

  const done = runUntil(
    node,
    effects,
    (e) => e.events.some((x) => x.type === "stopped"),
  );
  assert.equal(done.now - 100, defaultCoreOptions().leavePropagateMs);
  assert.equal(node.stopped, true);
});

Deno.test("MembershipNode records a member's leave as left, never dead", () => {
  const { node } = nodeWithPeers();
  node.receive(
    ADDR.b,
    encodeFrame([{ type: "left", name: "b", incarnation: 1, by: "b" }]),
    10,
  );
  node.receive(
    ADDR.c,
    encodeFrame([{ type: "dead", name: "b", incarnation: 1, by: "c" }]),
    20,
  );
  assert.equal(node.members().find((m) => m.name === "b")?.state, "left");
});

Deno.test("MembershipNode counts malformed datagrams and stays intact", () => {
  const { node } = nodeWithPeers();
  const before = node.members();
  node.receive(ADDR.b, new Uint8Array([1, 2, 3]), 10);
  node.receive(ADDR.b, new Uint8Array(100).fill(0x52), 11);

  const drops = node.stats().drops;
  assert.equal(drops["too-short"] + drops["bad-magic"], 2);
  assert.deepEqual(node.members(), before);
});

Deno.test("MembershipNode confirms a suspicion when its own probe of the suspect fails", () => {
  const { node } = nodeWithPeers();
  let effects = node.receive(
    ADDR.c,
    encodeFrame([{ type: "suspect", name: "b", incarnation: 1, by: "c" }]),
    10,
  );

  // Run until b is dead, collecting what a says about b on the way.
  const said: Message[] = [];
  let now = 10;
  while (node.members().find((m) => m.name === "b")?.state !== "dead") {
    now = effects.wakeAtMs;
    effects = node.tick(now);
    said.push(...messages(effects).map((m) => m.msg));
  }
  assert.ok(
    said.some((m) => m.type === "suspect" && m.name === "b" && m.by === "a"),
    "a never spread its own confirmation",
  );
  // With one confirmation the timeout falls below its 4 s ceiling.
  assert.ok(now - 10 < 4000, `dead only after ${now - 10} ms`);
});

/** Node "a" that knows p0..p{n-1} as alive, learned at time 1. */
function nodeWithMany(n: number, seed: number) {
  const node = new MembershipNode(
    defaultCoreOptions(),
    { name: "a", addr: ADDR.a, meta: META, incarnation: 1 },
    seededRandom(seed),
    0,
  );
  const members = Array.from({ length: n }, (_, i) => ({
    name: `p${i}`,
    addr: `10.0.1.${i + 1}:7946`,
    incarnation: 1,
    state: "alive" as const,
    meta: META,
  }));
  node.receive(
    members[1].addr,
    encodeFrame([{ type: "push-pull", from: "p1", reply: true, members }]),
    1,
  );
  return { node, members };
}

/** The first ping `node` sends after hearing that p1 suspects p5. */
function firstPingAfterSuspicion(node: MembershipNode, from: string) {
  const effects = node.receive(
    from,
    encodeFrame([{ type: "suspect", name: "p5", incarnation: 1, by: "p1" }]),
    2,
  );
  const { effects: sent } = runUntil(
    node,
    effects,
    (e) => messages(e).some((m) => m.msg.type === "ping"),
  );
  return { ping: messages(sent).find((m) => m.msg.type === "ping")!, sent };
}

Deno.test("MembershipNode probes a member next period once another member suspects it", () => {
  // Up to 8 members, everyone probes the suspect early (EARLY_PROBERS).
  for (const seed of [1, 2, 3, 4, 5]) {
    const { node, members } = nodeWithMany(7, seed);
    // The first ping after the news goes to p5, whatever the round-robin
    // order, and carries the suspicion so p5 can refute it at once.
    const { ping, sent } = firstPingAfterSuspicion(node, members[1].addr);
    assert.equal(ping.to, members[5].addr, `seed ${seed}`);
    assert.ok(
      messages(sent).some((m) =>
        m.to === members[5].addr && m.msg.type === "suspect" &&
        m.msg.name === "p5"
      ),
    );
  }
});

Deno.test("MembershipNode in a large cluster seldom probes a suspect early, so it is not flooded", () => {
  let early = 0;
  const runs = 60;
  for (let seed = 1; seed <= runs; seed++) {
    const { node, members } = nodeWithMany(200, seed);
    const { ping } = firstPingAfterSuspicion(node, members[1].addr);
    if (ping.to === members[5].addr) early += 1;
  }
  // About 6 of 199 members probe early: expect about 2 of 60 runs.
  assert.ok(early <= 8, `${early} of ${runs} probed early`);
});

Deno.test("MembershipNode whose suspicion timer runs out tells every live member directly", () => {
  const { node, members } = nodeWithMany(20, 5);
  let effects = node.receive(
    members[1].addr,
    encodeFrame([{ type: "suspect", name: "p0", incarnation: 1, by: "p1" }]),
    2,
  );

  // Nobody answers anything here; collect who hears of p0's death in the
  // tick that declares it.
  while (node.stateOf("p0") !== "dead") effects = node.tick(effects.wakeAtMs);
  const told = new Set(
    messages(effects)
      .filter((m) => m.msg.type === "dead" && m.msg.name === "p0")
      .map((m) => m.to),
  );
  assert.ok(!told.has(members[0].addr), "the dead member itself was told");
  // Everyone else still active (some may be suspect by now: nobody acks).
  const active = members.filter((m) =>
    m.name !== "p0" && node.stateOf(m.name) !== "dead"
  );
  for (const m of active) assert.ok(told.has(m.addr), `${m.name} not told`);
});

Deno.test("MembershipNode wakes only for its probes once its news is spread", () => {
  // Two nodes wired back to back on a virtual clock; a joins through b.
  const opts = defaultCoreOptions();
  const make = (name: string, seed: number) =>
    new MembershipNode(
      opts,
      { name, addr: ADDR[name], meta: META, incarnation: 1 },
      seededRandom(seed),
      0,
    );
  const nodes = new Map([[ADDR.a, make("a", 1)], [ADDR.b, make("b", 2)]]);
  const wake = new Map([[ADDR.a, 0], [ADDR.b, 0]]);
  const ticksOfA: number[] = [];
  const deliver = (from: string, e: Effects, now: number) => {
    wake.set(from, e.wakeAtMs);
    for (const s of e.sends) {
      const to = nodes.get(s.to);
      if (to) deliver(s.to, to.receive(from, s.bytes, now), now);
    }
  };
  deliver(ADDR.a, nodes.get(ADDR.a)!.join([ADDR.b], 0), 0);
  let now = 0;
  while (now < 40_000) {
    const [addr, at] = [...wake].reduce((x, y) => (y[1] < x[1] ? y : x));
    now = at;
    if (addr === ADDR.a && now >= 30_000) ticksOfA.push(now);
    deliver(addr, nodes.get(addr)!.tick(now), now);
  }

  assert.equal(nodes.get(ADDR.a)!.stateOf("b"), "alive");
  assert.equal(nodes.get(ADDR.a)!.stats().broadcastQueue, 0);
  // A probe every 500 ms (and an ack cancels its indirect step): about
  // 2 wake-ups a second, not the 7 that 200 ms gossip ticks would add.
  assert.ok(ticksOfA.length <= 25, `a woke ${ticksOfA.length} times in 10 s`);
  assert.ok(ticksOfA.length >= 15, `a woke ${ticksOfA.length} times in 10 s`);
});

Deno.test("MembershipNode refutes in the ack to a ping that carries its own suspicion", () => {
  const { node } = nodeWithPeers();
  const effects = node.receive(
    ADDR.b,
    encodeFrame([
      { type: "ping", seq: 9, from: "b", target: "a" },
      { type: "suspect", name: "a", incarnation: 1, by: "b" },
    ]),
    10,
  );
  const toB = messages(effects).filter((m) => m.to === ADDR.b);
  const ack = toB.find((m) => m.msg.type === "ack");
  assert.ok(ack, "no ack");
  // The refutation rides in the same datagram as the ack.
  const datagram = effects.sends.find((s) =>
    messages({ ...effects, sends: [s] }).some((m) => m.msg.type === "ack")
  )!;
  const carried = messages({ ...effects, sends: [datagram] });
  assert.ok(
    carried.some((m) =>
      m.msg.type === "alive" && m.msg.name === "a" && m.msg.incarnation === 2
    ),
    JSON.stringify(carried.map((m) => m.msg)),
  );
});

Deno.test("MembershipNode answers a stale claim that it is suspect with its alive, directly", () => {
  const { node } = nodeWithPeers();
  // a refutes once, to incarnation 2 ...
  node.receive(
    ADDR.c,
    encodeFrame([{ type: "suspect", name: "a", incarnation: 1, by: "c" }]),
    10,
  );
  assert.equal(node.self().incarnation, 2);
  // ... and long after, when its refutation has stopped being gossiped, d
  // still spreads the old suspicion: d hears the answer, without a ping.
  let now = 10;
  let effects = node.tick(now);
  while (now < 30_000) {
    now = effects.wakeAtMs;
    effects = node.tick(now);
  }
  const answer = node.receive(
    ADDR.d,
    encodeFrame([{ type: "suspect", name: "a", incarnation: 1, by: "d" }]),
    now,
  );
  assert.equal(node.self().incarnation, 2, "a stale claim raised it again");
  assert.ok(
    messages(answer).some((m) =>
      m.to === ADDR.d && m.msg.type === "alive" && m.msg.name === "a" &&
      m.msg.incarnation === 2
    ),
  );
});

Deno.test("MembershipNode keeps its health when helpers nack a probe of a silent member", () => {
  const scoreAfterFailedProbe = (helpersNack: boolean) => {
    const { node } = nodeWithPeers();
    let effects = node.tick(1);
    let now = 1;
    // b is silent. c and d answer pings and, if asked to, nack ping-reqs.
    while (node.stats().probesFailed === 0 && now < 30_000) {
      for (const { to, msg } of messages(effects)) {
        if (to === ADDR.b) continue;
        const name = to === ADDR.c ? "c" : "d";
        let reply: Message | undefined;
        if (msg.type === "ping") {
          reply = { type: "ack", seq: msg.seq, from: name };
        }
        if (msg.type === "ping-req" && helpersNack) {
          reply = { type: "nack", seq: msg.seq, from: name };
        }
        if (reply) node.receive(to, encodeFrame([reply]), now);
      }
      now = effects.wakeAtMs;
      effects = node.tick(now);
    }
    assert.equal(node.stats().probesFailed, 1);
    return node.stats().healthScore;
  };
  assert.equal(scoreAfterFailedProbe(true), 0);
  assert.ok(scoreAfterFailedProbe(false) >= 2);
});

Deno.test("MembershipNode syncs with live peers less often in a large cluster, and keeps reaching out to the dead", () => {
  // Every ping is acked at once, so all members stay alive, except p0,
  // declared dead by a member at the start.
  const syncs = (n: number) => {
    const { node, members } = nodeWithMany(n, 11);
    let effects = node.receive(
      members[1].addr,
      encodeFrame([{ type: "dead", name: "p0", incarnation: 1, by: "p1" }]),
      2,
    );
    // A long member list goes in several datagrams: count exchanges.
    const liveSyncs = new Set<string>(), deadSyncs = new Set<string>();
    let now = 2;
    while (now < 30 * 60_000) {
      for (const { to, msg } of messages(effects)) {
        if (msg.type === "push-pull" && !msg.reply) {
          const sent = to === members[0].addr ? deadSyncs : liveSyncs;
          sent.add(`${to}@${now}`);
        }
        if (msg.type === "ping" && to !== members[0].addr) {
          const from = members.find((m) => m.addr === to)!.name;
          node.receive(
            to,
            encodeFrame([{ type: "ack", seq: msg.seq, from }]),
            now,
          );
        }
      }
      now = effects.wakeAtMs;
      effects = node.tick(now);
    }
    return { live: liveSyncs.size, dead: deadSyncs.size };
  };
  // 30 minutes: a live sync every 30 s on average with 21 members, every
  // 90 s with 101; the dead member is tried every 30 s in both.
  const small = syncs(20), large = syncs(100);
  assert.ok(small.live >= 45 && small.live <= 75, `small: ${small.live}`);
  assert.ok(large.live >= 13 && large.live <= 27, `large: ${large.live}`);
  assert.ok(large.dead >= 45 && large.dead <= 75, `dead: ${large.dead}`);
});

Deno.test("MembershipNode pings a silent target a third time late in the period, and an ack then spares it", () => {
  const { node } = nodeWithPeers();
  let effects = node.tick(1);
  let now = 1;
  const pingTimes: number[] = [];
  let target = "";
  // Whoever is probed first: drop its first two pings, answer the third.
  while (now < 2_000 && pingTimes.length < 3) {
    for (const { to, msg } of messages(effects)) {
      if (msg.type !== "ping") continue;
      if (!target) target = to;
      if (to !== target) continue;
      pingTimes.push(now);
      if (pingTimes.length === 3) {
        const name = msg.target;
        node.receive(
          to,
          encodeFrame([{ type: "ack", seq: msg.seq, from: name }]),
          now,
        );
      }
    }
    now = effects.wakeAtMs;
    effects = node.tick(now);
  }
  assert.equal(pingTimes.length, 3, `pings: ${pingTimes}`);
  // Default timings: probe at t, again with the indirect probes at
  // t + 200 ms, and once more halfway to the end of the 500 ms period.
  assert.equal(pingTimes[1] - pingTimes[0], 200);
  assert.equal(pingTimes[2] - pingTimes[0], 350);
  // The period ends 500 ms after the first ping, without a failure.
  while (effects.wakeAtMs <= pingTimes[0] + 500) {
    effects = node.tick(now = effects.wakeAtMs);
  }
  assert.equal(node.stats().probesFailed, 0);
  assert.ok(node.members().every((m) => m.state === "alive"));
});

Deno.test("MembershipNode relaying a probe pings the target again before it gives up", () => {
  const { node } = nodeWithPeers();
  // c asks a to probe b; the first ping is lost, b answers the second.
  let effects = node.receive(
    ADDR.c,
    encodeFrame([{
      type: "ping-req",
      seq: 77,
      from: "c",
      target: "b",
      targetAddr: ADDR.b,
    }]),
    100,
  );
  const pings: { seq: number; at: number }[] = [];
  let now = 100;
  for (let i = 0; i < 20 && pings.length < 2; i++) {
    for (const { to, msg } of messages(effects)) {
      if (to !== ADDR.b || msg.type !== "ping") continue;
      // The relayed ping goes out at once; its seq marks the retry too.
      const relayed = pings.length === 0
        ? now === 100
        : msg.seq === pings[0].seq;
      if (relayed) pings.push({ seq: msg.seq, at: now });
    }
    now = effects.wakeAtMs;
    effects = node.tick(now);
  }
  assert.equal(pings.length, 2);
  assert.equal(pings[0].seq, pings[1].seq);
  assert.equal(pings[1].at - pings[0].at, 80); // 0.4 x the 200 ms timeout
  const answer = node.receive(
    ADDR.b,
    encodeFrame([{ type: "ack", seq: pings[1].seq, from: "b" }]),
    pings[1].at + 1,
  );
  assert.ok(
    messages(answer).some((m) =>
      m.to === ADDR.c && m.msg.type === "ack" && m.msg.seq === 77
    ),
  );
});

Deno.test("MembershipNode syncs again within seconds of joining, to learn who joined beside it", () => {
  const node = new MembershipNode(
    defaultCoreOptions(),
    { name: "a", addr: ADDR.a, meta: META, incarnation: 1 },
    seededRandom(4),
    0,
  );
  node.join([ADDR.b], 0);
  // b answers the join knowing only itself, as a seed does when many
  // nodes start at once.
  const b = {
    name: "b",
    addr: ADDR.b,
    incarnation: 1,
    state: "alive" as const,
    meta: META,
  };
  let effects = node.receive(
    ADDR.b,
    encodeFrame([{ type: "push-pull", from: "b", reply: true, members: [b] }]),
    10,
  );
  assert.ok(node.joined);
  let syncedAt = -1;
  while (syncedAt < 0 && effects.wakeAtMs < 10_000) {
    const now = effects.wakeAtMs;
    effects = node.tick(now);
    for (const { to, msg } of messages(effects)) {
      if (to === ADDR.b && msg.type === "ping") {
        node.receive(
          ADDR.b,
          encodeFrame([{ type: "ack", seq: msg.seq, from: "b" }]),
          now,
        );
      }
      if (msg.type === "push-pull" && !msg.reply) syncedAt = now;
    }
  }
  // Default timings: 1 to 2 probe periods (0.5 to 1 s) after the join.
  assert.ok(syncedAt >= 510 && syncedAt <= 1_010, `synced at ${syncedAt}`);
});

Deno.test("MembershipNode tells every one of twenty members directly when it leaves", () => {
  const node = new MembershipNode(
    defaultCoreOptions(),
    {
      name: "a",
      addr: ADDR.a,
      meta: META,
      incarnation: 1,
    },
    seededRandom(3),
    0,
  );
  const members = Array.from({ length: 20 }, (_, i) => ({
    name: `p${i}`,
    addr: `10.0.1.${i + 1}:7946`,
    incarnation: 1,
    state: "alive" as const,
    meta: META,
  }));
  for (const m of members) {
    node.receive(
      m.addr,
      encodeFrame([{
        type: "push-pull",
        from: m.name,
        reply: true,
        members: [m],
      }]),
      1,
    );
  }

  const told = new Set(
    messages(node.leave(10)).filter((m) => m.msg.type === "left")
      .map((m) => m.to),
  );
  assert.equal(told.size, 20);
});

Deno.test("MembershipNode keeps joining a silent seed while known members answer", () => {
  const { node } = nodeWithPeers();
  const seed = "10.0.0.9:7946";
  let effects = node.join([seed], 10);
  assert.equal(node.joined, false);

  // Members it already knows answer its probes; the seed stays silent.
  let retried = 0;
  for (let i = 0; i < 40; i++) {
    const now = effects.wakeAtMs;
    effects = node.tick(now);
    for (const m of messages(effects)) {
      if (m.msg.type === "ping") {
        node.receive(
          m.to,
          encodeFrame([{ type: "ack", seq: m.msg.seq, from: m.msg.target }]),
          now + 1,
        );
      }
      if (m.msg.type === "push-pull" && m.to === seed) retried += 1;
    }
  }
  assert.equal(node.joined, false);
  assert.ok(retried >= 2, `the seed was tried only ${retried} times`);

  // The seed's own answer ends the join.
  node.receive(
    seed,
    encodeFrame([{ type: "push-pull", from: "s", reply: true, members: [] }]),
    effects.wakeAtMs,
  );
  assert.equal(node.joined, true);
});

Deno.test("MembershipNode answers a push-pull sent in several parts only once", () => {
  const { node } = nodeWithPeers();
  const records = Array.from({ length: 60 }, (_, i) => ({
    name: `member-with-a-long-name-${i}`,
    addr: `10.0.2.${i + 1}:7946`,
    incarnation: 1,
    state: "alive" as const,
    meta: { cpus: 1, memoryMiB: 512, tags: { role: "edge", zone: "z1" } },
  }));
  const parts = encodePushPull("x", false, records, 1400);
  assert.ok(parts.length >= 3, "the list should need several datagrams");

  let replies = 0;
  for (const part of parts) {
    const effects = node.receive("10.0.3.1:7946", part, 100);
    replies += messages(effects).filter((m) =>
        m.msg.type === "push-pull" && m.msg.reply
      ).length > 0
      ? 1
      : 0;
  }
  assert.equal(replies, 1);
  assert.equal(node.members().length, 4 + 60);
});
