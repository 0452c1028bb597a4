/**
 * Suspicion timers with Lifeguard's dynamic timeout: the wait before a
 * suspect is declared dead shrinks as independent members confirm it.
 *
 * @module
 */

import { type ScaledTimings, suspicionTimeoutMs } from "./options.ts";

/** One running suspicion of one member. */
export class Suspicion {
  /** Incarnation the suspicion is about; news at a higher one ends it. */
  readonly incarnation: number;
  readonly startedAtMs: number;
  #confirmedBy = new Set<string>();
  #timings: ScaledTimings;

  /** Starts a suspicion raised by `by` at `startedAtMs`. */
  constructor(
    incarnation: number,
    by: string,
    startedAtMs: number,
    timings: ScaledTimings,
  ) {
    this.incarnation = incarnation;
    this.startedAtMs = startedAtMs;
    this.#timings = timings;
    this.#confirmedBy.add(by);
  }

  /** Independent confirmations beyond the first accuser. */
  get confirmations(): number {
    return this.#confirmedBy.size - 1;
  }

  /** When the suspect is to be declared dead, in local ms. */
  get deadlineMs(): number {
    return this.startedAtMs +
      suspicionTimeoutMs(this.#timings, this.confirmations);
  }

  /**
   * Records that `by` also suspects the member. Returns false if `by` had
   * already said so, or if enough members have confirmed to bring the
   * timeout to its floor (as memberlist does): the caller then does not
   * spread it, so a suspicion in a large cluster is not re-gossiped once
   * per member.
   */
  confirm(by: string): boolean {
    if (this.confirmations >= this.#timings.expectedConfirmations) {
      return false;
    }
    if (this.#confirmedBy.has(by)) return false;
    this.#confirmedBy.add(by);
    return true;
  }
}
