/**
 * The member list, keyed by node name, stored column by column so that a
 * node of a large cluster (or many nodes in one simulator) stays small.
 *
 * @module
 */

import { RankedSet } from "./_ranked_set.ts";
import {
  isActive,
  type Member,
  type MemberMeta,
  type MemberState,
} from "./member.ts";
import { pickRandomIndexed, type Random } from "./probe.ts";

/** State codes of the `#state` column; 0 marks a free slot. */
const STATE_CODES: Record<MemberState, number> = {
  alive: 1,
  suspect: 2,
  dead: 3,
  left: 4,
};
const STATE_OF_CODE: MemberState[] = [
  "alive",
  "alive",
  "suspect",
  "dead",
  "left",
];

/** Free slots tolerated before the columns are compacted. */
const MIN_HOLES_TO_COMPACT = 64;

/**
 * Node names as small integer ids. Each node has its own by default; a
 * simulator running many nodes in one process shares one, so that each name
 * is stored once rather than once per node.
 */
export class NameTable {
  #ids = new Map<string, number>();
  #names: string[] = [];
  #free: number[] = [];
  /** A shared table never reuses ids, as other registries may hold them. */
  readonly shared: boolean;

  /** An empty table; `shared` when several registries will use it. */
  constructor(options: { shared?: boolean } = {}) {
    this.shared = options.shared ?? false;
  }

  /** One more than the highest id handed out. */
  get capacity(): number {
    return this.#names.length;
  }

  /** The id of `name`, if it has one. */
  idOf(name: string): number | undefined {
    return this.#ids.get(name);
  }

  /** The id of `name`, giving it one if needed. */
  intern(name: string): number {
    const known = this.#ids.get(name);
    if (known !== undefined) return known;

    const id = this.#free.pop() ?? this.#names.length;
    this.#ids.set(name, id);
    this.#names[id] = name;
    return id;
  }

  /** The name with id `id`. */
  nameOf(id: number): string {
    return this.#names[id];
  }

  /** Lets a private table reuse `id` once its only registry forgot it. */
  release(id: number): void {
    if (this.shared) return;
    this.#ids.delete(this.#names[id]);
    this.#names[id] = "";
    this.#free.push(id);
  }
}

/**
 * Members we know of, including dead and left ones until reaped.
 *
 * Each member has a slot; slots follow the order members were first added,
 * which is the order every listing and every random draw uses.
 */
export class Registry {
  #names: NameTable;
  /** Slot of each name id, or -1. */
  #slotOf = new Int32Array(0);

  // Columns, one entry per slot.
  #idAt = new Int32Array(16);
  #state = new Uint8Array(16);
  #incarnation = new Float64Array(16);
  #changedAtMs = new Float64Array(16);
  #addr: (string | undefined)[] = [];
  #meta: (MemberMeta | undefined)[] = [];
  /** Who caused the last change, for the few members that have one. */
  #by = new Map<number, string>();

  #used = 0;
  #holes = 0;
  #active = new RankedSet();
  #alive = new RankedSet();
  #inactive = new Set<number>();

  /** An empty registry, naming members through `names`. */
  constructor(names: NameTable = new NameTable()) {
    this.#names = names;
  }

  /** The member called `name`, if known, as a fresh object. */
  get(name: string): Member | undefined {
    const slot = this.#slotOfName(name);
    return slot < 0 ? undefined : this.#member(slot);
  }

  /** Whether a member called `name` is known. */
  has(name: string): boolean {
    return this.#slotOfName(name) >= 0;
  }

  /** The state of `name`, without building a member object. */
  stateOf(name: string): MemberState | undefined {
    const slot = this.#slotOfName(name);
    return slot < 0 ? undefined : STATE_OF_CODE[this.#state[slot]];
  }

  /** The incarnation of `name`, without building a member object. */
  incarnationOf(name: string): number | undefined {
    const slot = this.#slotOfName(name);
    return slot < 0 ? undefined : this.#incarnation[slot];
  }

  /** The address of `name`, without building a member object. */
  addrOf(name: string): string | undefined {
    const slot = this.#slotOfName(name);
    return slot < 0 ? undefined : this.#addr[slot];
  }

  /** Inserts or replaces a member, keeping the state groups right. */
  set(member: Member): void {
    const id = this.#names.intern(member.name);
    let slot = this.#slotOfId(id);
    if (slot < 0) slot = this.#newSlot(id);
    else this.#unindex(slot);

    this.#state[slot] = STATE_CODES[member.state];
    this.#incarnation[slot] = member.incarnation;
    this.#changedAtMs[slot] = member.stateChangedAtMs;
    this.#addr[slot] = member.addr;
    this.#meta[slot] = member.meta;
    if (member.by === undefined) this.#by.delete(slot);
    else this.#by.set(slot, member.by);
    this.#index(slot);
  }

  /** Makes room for `count` members at once, as a preload knows it needs. */
  reserve(count: number): void {
    const cap = this.#used + count;
    if (cap > this.#idAt.length) this.#growColumns(cap);
    this.#active.reserve(cap);
    this.#alive.reserve(cap);
    this.#growSlotOf(this.#names.capacity);
  }

  /** Forgets a member. */
  delete(name: string): void {
    const id = this.#names.idOf(name);
    const slot = id === undefined ? -1 : this.#slotOfId(id);
    if (id === undefined || slot < 0) return;

    this.#unindex(slot);
    this.#clearSlot(slot);
    this.#slotOf[id] = -1;
    this.#names.release(id);
    this.#holes += 1;
    if (this.#holes >= MIN_HOLES_TO_COMPACT && this.#holes * 2 > this.#used) {
      this.#compact();
    }
  }

  /** Number of members known, in any state. */
  get size(): number {
    return this.#used - this.#holes;
  }

  /** Number of alive and suspect members, self included. */
  get activeCount(): number {
    return this.#active.size;
  }

  /** Every member, in the order they were added, as fresh objects. */
  *values(): IterableIterator<Member> {
    for (let slot = 0; slot < this.#used; slot++) {
      if (this.#state[slot] !== 0) yield this.#member(slot);
    }
  }

  /** Dead and left members, in the order they were added. */
  inactive(): Member[] {
    return [...this.#inactive].sort((a, b) => a - b)
      .map((slot) => this.#member(slot));
  }

  /** Names of alive and suspect members other than `except`. */
  activeNames(except: string): string[] {
    const names: string[] = [];
    for (let slot = 0; slot < this.#used; slot++) {
      if (!this.#active.has(slot)) continue;
      const name = this.#names.nameOf(this.#idAt[slot]);
      if (name !== except) names.push(name);
    }
    return names;
  }

  /**
   * Up to `count` distinct names drawn at random from the alive and suspect
   * members (`"active"`) or the alive ones (`"alive"`), leaving out
   * `except`. Draws exactly as `pickRandom` over the listing would, in
   * O(count * log n) instead of a copy of the list.
   */
  pick(
    group: "active" | "alive",
    count: number,
    random: Random,
    except: string[],
  ): string[] {
    const set = group === "active" ? this.#active : this.#alive;
    const skip = this.#ranksOf(set, except);
    return pickRandomIndexed(
      set.size - skip.length,
      count,
      random,
      (i) => this.#nameAtRank(set, i, skip),
    );
  }

  /** Copies of every member, for callers outside the core. */
  snapshot(): Member[] {
    return [...this.values()];
  }

  // ---- slots -------------------------------------------------------------

  #slotOfName(name: string): number {
    const id = this.#names.idOf(name);
    return id === undefined ? -1 : this.#slotOfId(id);
  }

  #slotOfId(id: number): number {
    return id < this.#slotOf.length ? this.#slotOf[id] : -1;
  }

  #member(slot: number): Member {
    return {
      name: this.#names.nameOf(this.#idAt[slot]),
      addr: this.#addr[slot]!,
      incarnation: this.#incarnation[slot],
      state: STATE_OF_CODE[this.#state[slot]],
      stateChangedAtMs: this.#changedAtMs[slot],
      by: this.#by.get(slot),
      meta: this.#meta[slot]!,
    };
  }

  #newSlot(id: number): number {
    if (id >= this.#slotOf.length) {
      const doubled = Math.max(this.#slotOf.length * 2, 16);
      this.#growSlotOf(Math.max(this.#names.capacity, id + 1, doubled));
    }
    if (this.#used === this.#idAt.length) {
      this.#growColumns(this.#idAt.length * 2);
    }

    const slot = this.#used++;
    this.#slotOf[id] = slot;
    this.#idAt[slot] = id;
    return slot;
  }

  #growSlotOf(size: number): void {
    if (size <= this.#slotOf.length) return;
    const grown = new Int32Array(size);
    grown.fill(-1);
    grown.set(this.#slotOf);
    this.#slotOf = grown;
  }

  #growColumns(cap: number): void {
    this.#idAt = grow(this.#idAt, new Int32Array(cap));
    this.#state = grow(this.#state, new Uint8Array(cap));
    this.#incarnation = grow(this.#incarnation, new Float64Array(cap));
    this.#changedAtMs = grow(this.#changedAtMs, new Float64Array(cap));
  }

  #clearSlot(slot: number): void {
    this.#state[slot] = 0;
    this.#idAt[slot] = -1;
    this.#addr[slot] = undefined;
    this.#meta[slot] = undefined;
    this.#by.delete(slot);
  }

  #index(slot: number): void {
    const state = STATE_OF_CODE[this.#state[slot]];
    if (state === "alive") this.#alive.add(slot);
    if (isActive(state)) this.#active.add(slot);
    else this.#inactive.add(slot);
  }

  #unindex(slot: number): void {
    this.#alive.delete(slot);
    this.#active.delete(slot);
    this.#inactive.delete(slot);
  }

  /** Closes the holes left by forgotten members, keeping the order. */
  #compact(): void {
    const by = new Map<number, string>();
    this.#active.clear();
    this.#alive.clear();
    this.#inactive.clear();

    let to = 0;
    for (let from = 0; from < this.#used; from++) {
      if (this.#state[from] === 0) continue;
      this.#moveSlot(from, to, by);
      this.#index(to);
      to += 1;
    }
    this.#used = to;
    this.#holes = 0;
    this.#addr.length = to;
    this.#meta.length = to;
    this.#by = by;
  }

  #moveSlot(from: number, to: number, by: Map<number, string>): void {
    const id = this.#idAt[from];
    this.#slotOf[id] = to;
    this.#idAt[to] = id;
    this.#state[to] = this.#state[from];
    this.#incarnation[to] = this.#incarnation[from];
    this.#changedAtMs[to] = this.#changedAtMs[from];
    this.#addr[to] = this.#addr[from];
    this.#meta[to] = this.#meta[from];
    const who = this.#by.get(from);
    if (who !== undefined) by.set(to, who);
  }

  // ---- random draws ------------------------------------------------------

  /** Ranks within `set` of the members of `names` that are in it, sorted. */
  #ranksOf(set: RankedSet, names: string[]): number[] {
    const ranks: number[] = [];
    for (const name of names) {
      const slot = this.#slotOfName(name);
      if (slot < 0 || !set.has(slot)) continue;
      const rank = set.rank(slot);
      if (!ranks.includes(rank)) ranks.push(rank);
    }
    return ranks.sort((a, b) => a - b);
  }

  /** Name of the `i`-th member of `set` once the `skip` ranks are out. */
  #nameAtRank(set: RankedSet, i: number, skip: number[]): string {
    let rank = i;
    for (const r of skip) {
      if (r > rank) break;
      rank += 1;
    }
    return this.#names.nameOf(this.#idAt[set.select(rank)]);
  }
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(
  old: T,
  next: T,
): T {
  next.set(old);
  return next;
}

/** A deep copy of a member, safe to hand outside the core. */
export function copyMember(m: Member): Member {
  return { ...m, meta: { ...m.meta, tags: { ...m.meta.tags } } };
}
