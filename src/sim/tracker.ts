/**
 * Follows, from the event stream of a simulated cluster, what every node
 * believes about one member, and how many live members anyone declared
 * dead. Costs O(1) per event, so it works at 10,000 nodes.
 *
 * @module
 */

import type { MemberState, NodeEvent } from "../core/mod.ts";

/** What every observer holds one subject as, and since when. */
export class SubjectTracker {
  readonly subject: string;
  #states = new Map<string, MemberState>();
  #counts: Record<MemberState, number> = {
    alive: 0,
    suspect: 0,
    dead: 0,
    left: 0,
  };
  /** First time (virtual ms) each observer held the subject alive. */
  readonly firstAlive = new Map<string, number>();
  /** First time each observer held it suspect or dead. */
  readonly firstDown = new Map<string, number>();
  /** First time each observer held it dead. */
  readonly firstDead = new Map<string, number>();

  /**
   * Tracks `subject`, starting from what the `initial` observers hold at
   * `nowMs` (which counts as their first time in that state).
   */
  constructor(
    subject: string,
    initial: Map<string, MemberState> = new Map(),
    nowMs = 0,
  ) {
    this.subject = subject;
    for (const [observer, state] of initial) {
      this.#set(observer, state, nowMs);
    }
  }

  /** Feeds one event of `observer`. */
  onEvent(observer: string, e: NodeEvent): void {
    if (e.type === "member" && e.member.name === this.subject) {
      if (observer !== this.subject) {
        this.#set(observer, e.member.state, e.atMs);
      }
    } else if (e.type === "reaped" && e.name === this.subject) {
      this.#forget(observer);
    }
  }

  /** Observers that hold the subject in `state` now. */
  count(state: MemberState): number {
    return this.#counts[state];
  }

  #set(observer: string, state: MemberState, atMs: number): void {
    this.#forget(observer);
    this.#states.set(observer, state);
    this.#counts[state] += 1;
    if (state === "alive" && !this.firstAlive.has(observer)) {
      this.firstAlive.set(observer, atMs);
    }
    if (
      (state === "suspect" || state === "dead") &&
      !this.firstDown.has(observer)
    ) {
      this.firstDown.set(observer, atMs);
    }
    if (state === "dead" && !this.firstDead.has(observer)) {
      this.firstDead.set(observer, atMs);
    }
  }

  #forget(observer: string): void {
    const old = this.#states.get(observer);
    if (old !== undefined) this.#counts[old] -= 1;
    this.#states.delete(observer);
  }
}

/**
 * Time until `q` of `observers` had reached a state, from the first times
 * in `first`, measured from `sinceMs`; null if too few reached it.
 */
export function timeToFraction(
  first: Map<string, number>,
  observers: string[],
  q: number,
  sinceMs: number,
): number | null {
  const times = observers.map((o) => first.get(o))
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  const needed = Math.max(1, Math.ceil(q * observers.length - 1e-9));
  if (times.length < needed) return null;
  return times[needed - 1] - sinceMs;
}

/** Counts live members that some node declared dead or suspect. */
export class FalseAlarmCounter {
  /** Declarations of dead about a member that was running. */
  deadEvents = 0;
  /** Members that were running and yet declared dead by someone. */
  readonly deadSubjects = new Set<string>();
  suspectEvents = 0;
  readonly suspectSubjects = new Set<string>();

  /** `isDown(name)` says whether a member was really crashed or paused. */
  constructor(readonly isDown: (name: string) => boolean) {}

  /** Feeds one event. */
  onEvent(_observer: string, e: NodeEvent): void {
    if (e.type !== "member" || this.isDown(e.member.name)) return;
    if (e.member.state === "dead") {
      this.deadEvents += 1;
      this.deadSubjects.add(e.member.name);
    } else if (e.member.state === "suspect" && e.from === "alive") {
      this.suspectEvents += 1;
      this.suspectSubjects.add(e.member.name);
    }
  }
}
