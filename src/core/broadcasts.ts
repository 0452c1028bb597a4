/**
 * The retransmit queue: membership news waiting to ride on outgoing
 * datagrams, each sent a limited number of times.
 *
 * @module
 */

interface QueuedBroadcast {
  /** Member the news is about; newer news about it replaces older. */
  key: string;
  /** Encoded message (type, length and body). */
  bytes: Uint8Array;
  transmits: number;
  /** Order of arrival, to prefer fresh news among equally sent ones. */
  id: number;
}

/**
 * Membership updates to piggyback, fewest-sent first.
 *
 * Items sit in one bucket per transmit count, each bucket sorted by arrival,
 * so `take()` walks them in order without sorting the whole queue on every
 * datagram.
 */
export class BroadcastQueue {
  #items = new Map<string, QueuedBroadcast>();
  /** `#buckets[t]`: items sent t times, oldest first. */
  #buckets: QueuedBroadcast[][] = [];
  #nextId = 0;
  /** Smallest item ever queued: once less room is left, nothing fits. */
  #minBytes = Infinity;

  /** Number of updates still waiting to be sent. */
  get size(): number {
    return this.#items.size;
  }

  /** Queues news about `key`, replacing any older news about it. */
  enqueue(key: string, bytes: Uint8Array): void {
    this.drop(key);
    const item = { key, bytes, transmits: 0, id: this.#nextId++ };
    this.#items.set(key, item);
    // The newest id is the largest, so it belongs at the end of bucket 0.
    this.#bucket(0).push(item);
    this.#minBytes = Math.min(this.#minBytes, bytes.length);
  }

  /** Drops any news about `key`. */
  drop(key: string): void {
    const item = this.#items.get(key);
    if (!item) return;
    this.#items.delete(key);
    const bucket = this.#buckets[item.transmits];
    bucket.splice(indexOfId(bucket, item.id), 1);
  }

  /**
   * Takes updates that fit in `budgetBytes`, fewest transmissions first
   * and newest first among equals, counts one transmission for each and
   * retires those that reached `retransmitLimit`.
   */
  take(budgetBytes: number, retransmitLimit: number): Uint8Array[] {
    if (this.#items.size === 0 || budgetBytes <= 0) return [];

    const taken: Uint8Array[] = [];
    const moved: QueuedBroadcast[] = [];
    let left = budgetBytes;
    for (let t = 0; t < this.#buckets.length; t++) {
      if (left < this.#minBytes) break;
      if (this.#buckets[t].length === 0) continue;
      left = this.#takeFrom(this.#buckets[t], left, taken, moved);
    }

    // Taken items move up one bucket only now, so none is seen twice.
    for (const item of moved) {
      item.transmits += 1;
      if (item.transmits >= retransmitLimit) this.#items.delete(item.key);
      else insertById(this.#bucket(item.transmits), item);
    }
    return taken;
  }

  /**
   * Takes what fits from one bucket, newest first, onto `taken` and
   * `moved`; returns the room left.
   */
  #takeFrom(
    bucket: QueuedBroadcast[],
    budgetBytes: number,
    taken: Uint8Array[],
    moved: QueuedBroadcast[],
  ): number {
    let kept: QueuedBroadcast[] | undefined;
    let left = budgetBytes;
    let i = bucket.length - 1;
    for (; i >= 0 && left >= this.#minBytes; i--) {
      const item = bucket[i];
      if (item.bytes.length > left) {
        (kept ??= []).push(item);
        continue;
      }
      taken.push(item.bytes);
      left -= item.bytes.length;
      moved.push(item);
    }

    // Put back the skipped ones of the part we walked, oldest first.
    bucket.length = i + 1;
    if (kept) {
      for (let k = kept.length - 1; k >= 0; k--) {
        bucket.push(kept[k]);
      }
    }
    return left;
  }

  #bucket(transmits: number): QueuedBroadcast[] {
    while (this.#buckets.length <= transmits) this.#buckets.push([]);
    return this.#buckets[transmits];
  }
}

/** Position of the item with `id` in a bucket sorted by id. */
function indexOfId(bucket: QueuedBroadcast[], id: number): number {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bucket[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `item` into a bucket sorted by id. */
function insertById(bucket: QueuedBroadcast[], item: QueuedBroadcast): void {
  const at = indexOfId(bucket, item.id);
  if (at === bucket.length) bucket.push(item);
  else bucket.splice(at, 0, item);
}
