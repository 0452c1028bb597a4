/**
 * Fans the core's events out to any number of subscribers, each with a
 * bounded queue so a slow reader cannot make the agent hold memory.
 *
 * @module
 */

import type { NodeEvent } from "../core/mod.ts";

/** An event with its position in this agent's stream. */
export interface SequencedEvent {
  seq: number;
  event: NodeEvent;
}

/** Most events a subscriber may fall behind before it is cut off. */
const MAX_BACKLOG = 10_000;

/** A subscription: an async iterable of events, ended by close(). */
export interface Subscription extends AsyncIterable<SequencedEvent> {
  close(): void;
  /** True if the subscriber fell too far behind and was cut off. */
  readonly overflowed: boolean;
}

/** Publishes events to subscribers. */
export class EventHub {
  #subs = new Set<Sub>();
  #seq = 0;
  #closed = false;

  /** Sequence number of the last event published. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Delivers `event` to every subscriber. */
  publish(event: NodeEvent): void {
    this.#seq += 1;
    for (const sub of this.#subs) sub.push({ seq: this.#seq, event });
  }

  /** A new subscription to events published from now on. */
  subscribe(): Subscription {
    const sub = new Sub(() => this.#subs.delete(sub));
    if (this.#closed) sub.close();
    else this.#subs.add(sub);
    return sub;
  }

  /** Ends every subscription. */
  close(): void {
    this.#closed = true;
    for (const sub of this.#subs) sub.close();
  }
}

class Sub implements Subscription {
  #queue: SequencedEvent[] = [];
  #wake: (() => void) | undefined;
  #done = false;
  #onClose: () => void;
  overflowed = false;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  push(e: SequencedEvent): void {
    if (this.#done) return;
    if (this.#queue.length >= MAX_BACKLOG) {
      this.overflowed = true;
      return this.close();
    }
    this.#queue.push(e);
    this.#wake?.();
  }

  close(): void {
    if (this.#done) return;
    this.#done = true;
    this.#onClose();
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SequencedEvent> {
    try {
      while (true) {
        if (this.#queue.length > 0) {
          yield this.#queue.shift()!;
          continue;
        }
        if (this.#done) return;
        await new Promise<void>((r) => this.#wake = r);
        this.#wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}
