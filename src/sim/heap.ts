/**
 * A binary min-heap ordered by time, then by insertion, for the virtual
 * clock's queue of deliveries and wake-ups. Times and ranks live in typed
 * arrays, so a push allocates nothing.
 *
 * @module
 */

/** Items ordered by `atMs`; ties leave in insertion order. */
export class TimeHeap<T> {
  #times = new Float64Array(1024);
  #orders = new Float64Array(1024);
  #values: (T | undefined)[] = [];
  #size = 0;
  #order = 0;

  /** Number of items waiting. */
  get size(): number {
    return this.#size;
  }

  /** Time of the earliest item, or Infinity. */
  peekTime(): number {
    return this.#size > 0 ? this.#times[0] : Infinity;
  }

  /** Adds `value` due at `atMs`. */
  push(atMs: number, value: T): void {
    if (this.#size === this.#times.length) this.#grow();
    const order = this.#order++;
    let i = this.#size++;

    // Sift up: move parents down until the new item's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(atMs, order, parent)) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#set(i, atMs, order, value);
  }

  /** Removes and returns the earliest item. */
  pop(): { atMs: number; value: T } | undefined {
    if (this.#size === 0) return undefined;
    const atMs = this.#times[0];
    const value = this.#values[0]!;

    const last = --this.#size;
    if (last > 0) {
      this.#siftDown(
        this.#times[last],
        this.#orders[last],
        this.#values[last]!,
      );
    }
    this.#values[last] = undefined;
    return { atMs, value };
  }

  /** Places the item (time, order, value) from the root down. */
  #siftDown(atMs: number, order: number, value: T): void {
    const n = this.#size;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.#less(r, l) ? r : l;
      if (!this.#lessThanItem(child, atMs, order)) break;
      this.#move(child, i);
      i = child;
    }
    this.#set(i, atMs, order, value);
  }

  /** Whether (atMs, order) comes before the item at `i`. */
  #before(atMs: number, order: number, i: number): boolean {
    const t = this.#times[i];
    return atMs < t || (atMs === t && order < this.#orders[i]);
  }

  /** Whether the item at `i` comes before (atMs, order). */
  #lessThanItem(i: number, atMs: number, order: number): boolean {
    const t = this.#times[i];
    return t < atMs || (t === atMs && this.#orders[i] < order);
  }

  #less(a: number, b: number): boolean {
    return this.#lessThanItem(a, this.#times[b], this.#orders[b]);
  }

  #move(from: number, to: number): void {
    this.#times[to] = this.#times[from];
    this.#orders[to] = this.#orders[from];
    this.#values[to] = this.#values[from];
  }

  #set(i: number, atMs: number, order: number, value: T): void {
    this.#times[i] = atMs;
    this.#orders[i] = order;
    this.#values[i] = value;
  }

  #grow(): void {
    const times = new Float64Array(this.#times.length * 2);
    times.set(this.#times);
    const orders = new Float64Array(this.#orders.length * 2);
    orders.set(this.#orders);
    this.#times = times;
    this.#orders = orders;
  }
}
