/**
 * Who to probe next, and how healthy this node believes itself to be.
 *
 * @module
 */

/** A source of uniform numbers in [0, 1), injected for replayable runs. */
export type Random = () => number;

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Picks up to `count` distinct items at random. */
export function pickRandom<T>(items: T[], count: number, random: Random): T[] {
  return pickRandomIndexed(items.length, count, random, (i) => items[i]);
}

/**
 * Picks up to `count` distinct items at random from a list of `length` read
 * through `at`, without copying it: the same draws and the same result as
 * `pickRandom` over that list, in O(count) reads.
 */
export function pickRandomIndexed<T>(
  length: number,
  count: number,
  random: Random,
  at: (index: number) => T,
): T[] {
  if (length <= count) {
    const all: T[] = [];
    for (let i = 0; i < length; i++) all.push(at(i));
    return shuffle(all, random);
  }

  // A partial Fisher–Yates shuffle over a virtual copy: `moved` records
  // only the positions whose item a swap has changed.
  const moved = new Map<number, number>();
  const picked: T[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (length - i));
    const fromI = moved.get(i) ?? i;
    const fromJ = moved.get(j) ?? j;
    moved.set(j, fromI);
    picked.push(at(fromJ));
  }
  return picked;
}

/** Most members waiting in ProbeOrder's queue of early probes. */
const MAX_PROBE_SOON = 8;

/**
 * SWIM 4.3: probe targets in round-robin order over a list that is shuffled
 * again on every pass, so each member is probed by each prober within a
 * bounded number of periods.
 */
export class ProbeOrder {
  #order: string[] = [];
  #index = 0;
  #random: Random;
  /** Members to probe before the round-robin resumes, oldest first. */
  #soon: string[] = [];
  /** Whether the last target came from #soon. */
  #lastWasSoon = false;

  /** Creates an empty order drawing from `random`. */
  constructor(random: Random) {
    this.#random = random;
  }

  /**
   * The next target among `candidates` (checked with `isCandidate`), or
   * undefined when there is none.
   */
  next(
    candidates: () => string[],
    isCandidate: (name: string) => boolean,
  ): string | undefined {
    // Early probes take at most every other period, so that a stream of
    // suspicions (heavy loss) cannot starve the round-robin: a member that
    // nobody suspects yet must still be probed within a bounded time.
    if (!this.#lastWasSoon) {
      while (this.#soon.length > 0) {
        const name = this.#soon.shift()!;
        if (isCandidate(name)) {
          this.#lastWasSoon = true;
          return name;
        }
      }
    }
    this.#lastWasSoon = false;
    // Two passes at most: finish the current list, then reshuffle once.
    for (let pass = 0; pass < 2; pass++) {
      while (this.#index < this.#order.length) {
        const name = this.#order[this.#index++];
        if (isCandidate(name)) return name;
      }
      this.#order = shuffle(candidates(), this.#random);
      this.#index = 0;
    }
    return undefined;
  }

  /**
   * Puts `name` ahead of the round-robin for the next period. Used when
   * another member reports a suspicion: probing the suspect at once either
   * confirms it (so the suspicion timeout shrinks sooner) or carries the
   * suspicion to the suspect, which then refutes it. The round-robin place
   * is kept, so the pass still covers everyone.
   */
  probeSoon(name: string): void {
    if (this.#soon.includes(name)) return;
    if (this.#soon.length >= MAX_PROBE_SOON) this.#soon.shift();
    this.#soon.push(name);
  }

  /**
   * SWIM 4.3: a newcomer goes to a random place in the remaining list, so
   * it is probed within this pass rather than after it.
   */
  insert(name: string): void {
    const remaining = this.#order.length - this.#index;
    const at = this.#index + Math.floor(this.#random() * (remaining + 1));
    this.#order.splice(at, 0, name);
  }
}

/**
 * Lifeguard's local health multiplier: failed probes and missing nacks
 * raise the score, successes lower it; a higher score stretches this node's
 * probe timing so a slow node accuses others less.
 */
export class LocalHealth {
  #score = 0;
  readonly max: number;

  /** Creates a score that ranges over 0..max. */
  constructor(max = 8) {
    this.max = max;
  }

  /** Current score, 0 (healthy) to max - 1. */
  get score(): number {
    return this.#score;
  }

  /** Multiplies timeouts: 1 when healthy. */
  get scale(): number {
    return this.#score + 1;
  }

  /** Moves the score by `delta`, within 0..max - 1. */
  apply(delta: number): void {
    this.#score = Math.min(this.max - 1, Math.max(0, this.#score + delta));
  }
}
