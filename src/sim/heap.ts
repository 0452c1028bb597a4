/**
 * A binary min-heap ordered by time, then by insertion, for the virtual
 * clock's queue of deliveries and wake-ups.
 *
 * @module
 */

interface Entry<T> {
  atMs: number;
  order: number;
  value: T;
}

/** Items ordered by `atMs`; ties leave in insertion order. */
export class TimeHeap<T> {
  #items: Entry<T>[] = [];
  #order = 0;

  /** Number of items waiting. */
  get size(): number {
    return this.#items.length;
  }

  /** Time of the earliest item, or Infinity. */
  peekTime(): number {
    return this.#items.length > 0 ? this.#items[0].atMs : Infinity;
  }

  /** Adds `value` due at `atMs`. */
  push(atMs: number, value: T): void {
    const items = this.#items;
    items.push({ atMs, order: this.#order++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  /** Removes and returns the earliest item. */
  pop(): { atMs: number; value: T } | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.#siftDown(0);
    }
    return { atMs: top.atMs, value: top.value };
  }

  #siftDown(i: number): void {
    const items = this.#items;
    while (true) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && before(items[l], items[m])) m = l;
      if (r < items.length && before(items[r], items[m])) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m], items[i]];
      i = m;
    }
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
}
