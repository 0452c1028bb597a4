/**
 * An ordered set of small non-negative integers with rank and select in
 * O(log n), on a Fenwick tree. The registry keeps one per member state group
 * so that drawing a random member costs O(log n), not a copy of the list.
 *
 * @module
 */

/** Ordered set of slot numbers. */
export class RankedSet {
  /** Fenwick tree, 1-based: `#tree[i]` counts a power-of-two range. */
  #tree: Int32Array;
  #has: Uint8Array;
  #size = 0;

  /** An empty set with room for slots 0..capacity - 1 before it grows. */
  constructor(capacity = 64) {
    this.#tree = new Int32Array(capacity + 1);
    this.#has = new Uint8Array(capacity);
  }

  /** Number of slots in the set. */
  get size(): number {
    return this.#size;
  }

  /** Whether `slot` is in the set. */
  has(slot: number): boolean {
    return slot < this.#has.length && this.#has[slot] === 1;
  }

  /** Adds `slot`; does nothing if it is already in. */
  add(slot: number): void {
    if (slot >= this.#has.length) {
      this.#grow(slot + 1, Math.max(slot + 1, this.#has.length * 2));
    }
    if (this.#has[slot] === 1) return;
    this.#has[slot] = 1;
    this.#size += 1;
    this.#update(slot, 1);
  }

  /** Removes `slot`; does nothing if it is not in. */
  delete(slot: number): void {
    if (!this.has(slot)) return;
    this.#has[slot] = 0;
    this.#size -= 1;
    this.#update(slot, -1);
  }

  /** Number of slots in the set below `slot`. */
  rank(slot: number): number {
    let i = Math.min(slot, this.#has.length);
    let sum = 0;
    while (i > 0) {
      sum += this.#tree[i];
      i -= i & -i;
    }
    return sum;
  }

  /** The `k`-th smallest slot, counting from 0; `k` must be below size. */
  select(k: number): number {
    if (k < 0 || k >= this.#size) {
      throw new RangeError(`bug: select(${k}) on a set of ${this.#size}`);
    }
    let pos = 0;
    let left = k + 1;
    for (let step = highestPowerOfTwo(this.#has.length); step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.#tree.length && this.#tree[next] < left) {
        pos = next;
        left -= this.#tree[next];
      }
    }
    return pos;
  }

  /** Makes room for slots 0..capacity - 1 at once. */
  reserve(capacity: number): void {
    if (capacity > this.#has.length) this.#grow(capacity, capacity);
  }

  /** Removes every slot and keeps the capacity. */
  clear(): void {
    this.#tree.fill(0);
    this.#has.fill(0);
    this.#size = 0;
  }

  #update(slot: number, delta: number): void {
    for (let i = slot + 1; i < this.#tree.length; i += i & -i) {
      this.#tree[i] += delta;
    }
  }

  #grow(needed: number, cap: number): void {
    if (cap < needed) throw new RangeError(`bug: grow to ${cap} < ${needed}`);
    const has = new Uint8Array(cap);
    has.set(this.#has);
    this.#has = has;

    // Linear-time rebuild: each node adds itself to its parent once.
    const tree = new Int32Array(cap + 1);
    for (let i = 1; i <= cap; i++) {
      tree[i] += has[i - 1];
      const parent = i + (i & -i);
      if (parent <= cap) tree[parent] += tree[i];
    }
    this.#tree = tree;
  }
}

function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return n > 0 ? p : 0;
}
