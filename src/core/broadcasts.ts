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

/** Membership updates to piggyback, fewest-sent first. */
export class BroadcastQueue {
  #items = new Map<string, QueuedBroadcast>();
  #nextId = 0;

  /** Number of updates still waiting to be sent. */
  get size(): number {
    return this.#items.size;
  }

  /** Queues news about `key`, replacing any older news about it. */
  enqueue(key: string, bytes: Uint8Array): void {
    this.#items.set(key, { key, bytes, transmits: 0, id: this.#nextId++ });
  }

  /** Drops any news about `key`. */
  drop(key: string): void {
    this.#items.delete(key);
  }

  /**
   * Takes updates that fit in `budgetBytes`, fewest transmissions first,
   * counts one transmission for each and retires those that reached
   * `retransmitLimit`.
   */
  take(budgetBytes: number, retransmitLimit: number): Uint8Array[] {
    if (this.#items.size === 0 || budgetBytes <= 0) return [];

    // Fewest-sent first gives fresh news priority; among equals, newest.
    const ordered = [...this.#items.values()].sort((a, b) =>
      a.transmits - b.transmits || b.id - a.id
    );

    const taken: Uint8Array[] = [];
    let left = budgetBytes;
    for (const item of ordered) {
      if (item.bytes.length > left) continue;
      taken.push(item.bytes);
      left -= item.bytes.length;
      item.transmits += 1;
      if (item.transmits >= retransmitLimit) this.#items.delete(item.key);
    }
    return taken;
  }
}
