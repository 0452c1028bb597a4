/**
 * The member list, keyed by node name.
 *
 * @module
 */

import { isActive, type Member } from "./member.ts";

/** Members we know of, including dead and left ones until reaped. */
export class Registry {
  #members = new Map<string, Member>();
  #activeCount = 0;

  /** The member called `name`, if known. */
  get(name: string): Member | undefined {
    return this.#members.get(name);
  }

  /** Inserts or replaces a member, keeping the active count right. */
  set(member: Member): void {
    const old = this.#members.get(member.name);
    if (old && isActive(old.state)) this.#activeCount -= 1;
    if (isActive(member.state)) this.#activeCount += 1;
    this.#members.set(member.name, member);
  }

  /** Forgets a member. */
  delete(name: string): void {
    const old = this.#members.get(name);
    if (old && isActive(old.state)) this.#activeCount -= 1;
    this.#members.delete(name);
  }

  /** Number of members known, in any state. */
  get size(): number {
    return this.#members.size;
  }

  /** Number of alive and suspect members, self included. */
  get activeCount(): number {
    return this.#activeCount;
  }

  /** Every member, in no particular order. */
  values(): IterableIterator<Member> {
    return this.#members.values();
  }

  /** Names of alive and suspect members other than `except`. */
  activeNames(except: string): string[] {
    const names: string[] = [];
    for (const m of this.#members.values()) {
      if (m.name !== except && isActive(m.state)) names.push(m.name);
    }
    return names;
  }

  /** Copies of every member, for callers outside the core. */
  snapshot(): Member[] {
    return [...this.#members.values()].map(copyMember);
  }
}

/** A deep copy of a member, safe to hand outside the core. */
export function copyMember(m: Member): Member {
  return { ...m, meta: { ...m.meta, tags: { ...m.meta.tags } } };
}
