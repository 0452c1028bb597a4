// The simulator's scale rests on faster core data structures; these tests
// hold each one to the simple implementation it replaced, on random inputs.
import assert from "node:assert/strict";
import { RankedSet } from "../../src/core/_ranked_set.ts";
import { BroadcastQueue } from "../../src/core/broadcasts.ts";
import type { Member, MemberState } from "../../src/core/member.ts";
import { pickRandom, shuffle } from "../../src/core/probe.ts";
import { NameTable, Registry } from "../../src/core/registry.ts";
import { seededRandom } from "../../src/sim/prng.ts";

/** The queue as first written: sort everything on every take. */
class SortingQueue {
  #items = new Map<
    string,
    { key: string; bytes: Uint8Array; transmits: number; id: number }
  >();
  #nextId = 0;
  enqueue(key: string, bytes: Uint8Array): void {
    this.#items.set(key, { key, bytes, transmits: 0, id: this.#nextId++ });
  }
  drop(key: string): void {
    this.#items.delete(key);
  }
  take(budget: number, limit: number): Uint8Array[] {
    if (this.#items.size === 0 || budget <= 0) return [];
    const ordered = [...this.#items.values()].sort((a, b) =>
      a.transmits - b.transmits || b.id - a.id
    );
    const taken: Uint8Array[] = [];
    let left = budget;
    for (const item of ordered) {
      if (item.bytes.length > left) continue;
      taken.push(item.bytes);
      left -= item.bytes.length;
      item.transmits += 1;
      if (item.transmits >= limit) this.#items.delete(item.key);
    }
    return taken;
  }
}

/** pickRandom as first written: a partial shuffle of a full copy. */
function copyingPick<T>(items: T[], count: number, random: () => number): T[] {
  if (items.length <= count) return shuffle([...items], random);
  const copy = [...items];
  const picked: T[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
    picked.push(copy[i]);
  }
  return picked;
}

Deno.test("BroadcastQueue.take() sends what a full sort would, in that order", () => {
  const random = seededRandom(1);
  const fast = new BroadcastQueue();
  const slow = new SortingQueue();
  for (let step = 0; step < 20_000; step++) {
    const r = random();
    const key = `k${Math.floor(random() * 60)}`;
    if (r < 0.5) {
      const bytes = new Uint8Array(10 + Math.floor(random() * 90));
      bytes[0] = step & 255;
      fast.enqueue(key, bytes);
      slow.enqueue(key, bytes);
    } else if (r < 0.55) {
      fast.drop(key);
      slow.drop(key);
    } else {
      const budget = Math.floor(random() * 600) - 20;
      const limit = 1 + Math.floor(random() * 8);
      assert.deepEqual(fast.take(budget, limit), slow.take(budget, limit));
    }
  }
});

Deno.test("pickRandom() draws exactly as the copying version did", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  for (const count of [0, 1, 3, 49, 50, 64]) {
    const a = seededRandom(count + 1);
    const b = seededRandom(count + 1);
    for (let round = 0; round < 200; round++) {
      const n = round % 51;
      assert.deepEqual(
        pickRandom(items.slice(0, n), count, a),
        copyingPick(items.slice(0, n), count, b),
      );
    }
  }
});

Deno.test("RankedSet agrees with a sorted array on add, delete, rank and select", () => {
  const random = seededRandom(2);
  const set = new RankedSet(4);
  const model = new Set<number>();
  for (let step = 0; step < 5000; step++) {
    const slot = Math.floor(random() * 300);
    if (random() < 0.6) {
      set.add(slot);
      model.add(slot);
    } else {
      set.delete(slot);
      model.delete(slot);
    }
    const sorted = [...model].sort((a, b) => a - b);
    assert.equal(set.size, sorted.length);
    const probe = Math.floor(random() * 310);
    assert.equal(set.rank(probe), sorted.filter((s) => s < probe).length);
    assert.equal(set.has(probe), model.has(probe));
    if (sorted.length > 0) {
      const k = Math.floor(random() * sorted.length);
      assert.equal(set.select(k), sorted[k]);
    }
  }
});

const STATES: MemberState[] = ["alive", "suspect", "dead", "left"];

function member(name: string, state: MemberState, inc: number): Member {
  return {
    name,
    addr: `10.0.0.1:${1000 + inc}`,
    incarnation: inc,
    state,
    stateChangedAtMs: inc * 10,
    by: state === "alive" ? undefined : `b${inc % 3}`,
    meta: { cpus: 1, memoryMiB: 1, tags: {} },
  };
}

Deno.test("Registry.pick() draws as pickRandom over the filtered listing", () => {
  const random = seededRandom(3);
  const registry = new Registry();
  const model = new Map<string, Member>();
  for (let step = 0; step < 6000; step++) {
    const name = `m${Math.floor(random() * 150)}`;
    if (random() < 0.8) {
      const m = member(name, STATES[Math.floor(random() * 4)], step);
      registry.set(m);
      model.set(name, m);
    } else {
      // Deletes leave holes, and enough of them force a compaction.
      registry.delete(name);
      model.delete(name);
    }

    const listing = [...model.values()];
    assert.deepEqual([...registry.values()], listing);
    assert.equal(
      registry.activeCount,
      listing.filter((m) => isActive(m)).length,
    );

    const except = [`m${Math.floor(random() * 150)}`, "m0"];
    const count = Math.floor(random() * 5);
    const group = random() < 0.5 ? "active" : "alive";
    const pool = listing.filter((m) =>
      (group === "alive" ? m.state === "alive" : isActive(m)) &&
      !except.includes(m.name)
    ).map((m) => m.name);
    const seed = Math.floor(random() * 1e9);
    assert.deepEqual(
      registry.pick(group, count, seededRandom(seed), except),
      copyingPick(pool, count, seededRandom(seed)),
    );
  }
});

function isActive(m: Member): boolean {
  return m.state === "alive" || m.state === "suspect";
}

Deno.test("Registry keeps its own view when it shares a name table", () => {
  const names = new NameTable({ shared: true });
  const a = new Registry(names);
  const b = new Registry(names);
  a.set(member("x", "alive", 1));
  b.set(member("y", "dead", 2));
  b.set(member("x", "suspect", 3));
  a.delete("x");

  assert.equal(a.get("x"), undefined);
  assert.equal(b.stateOf("x"), "suspect");
  assert.equal(b.get("y")?.incarnation, 2);
  assert.equal(names.idOf("x"), 0);
});
