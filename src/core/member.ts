/**
 * Members, their four states and the precedence rules that decide which of
 * two reports about a member wins.
 *
 * @module
 */

/** The four states a member can be in, as every node reports them. */
export type MemberState = "alive" | "suspect" | "dead" | "left";

/** Every state, in precedence order at an equal incarnation. */
export const MEMBER_STATES: readonly MemberState[] = [
  "alive",
  "suspect",
  "dead",
  "left",
];

/** What a node says about itself beyond its address: resources and tags. */
export interface MemberMeta {
  /** Number of logical CPUs the node detected; 0 when unknown. */
  cpus: number;
  /** Total memory of the node in MiB; 0 when unknown. */
  memoryMiB: number;
  /** User tags, such as `role=edge`. */
  tags: Record<string, string>;
}

/** A node as the other nodes see it. */
export interface Member {
  /** Node id; unique in the cluster. */
  name: string;
  /** Where the node receives datagrams, as `host:port` or `[v6]:port`. */
  addr: string;
  /** Raised only by the member itself, to refute a suspicion or restart. */
  incarnation: number;
  state: MemberState;
  /** Local time (ms) at which this node last saw the state change. */
  stateChangedAtMs: number;
  /** Who caused the last change to suspect, dead or left, if known. */
  by?: string;
  meta: MemberMeta;
}

/** A report about one member, as it travels in gossip. */
export interface MemberUpdate {
  name: string;
  incarnation: number;
  state: MemberState;
  /** Present on alive reports; ignored on the others. */
  addr?: string;
  /** Present on alive reports; ignored on the others. */
  meta?: MemberMeta;
  /** The node that raised a suspicion or declared the member dead. */
  by?: string;
}

/** Rank of a state when two reports share an incarnation. */
export function stateRank(state: MemberState): number {
  // SWIM 4.2: at an equal incarnation suspect beats alive and a confirmed
  // failure beats both. A graceful leave outranks a failure so that a node
  // which said goodbye is never reported dead.
  return MEMBER_STATES.indexOf(state);
}

/**
 * Whether `update` should replace what we know (`current`).
 * A higher incarnation always wins; at an equal one the higher state rank.
 */
export function supersedes(
  update: Pick<MemberUpdate, "incarnation" | "state">,
  current: Pick<Member, "incarnation" | "state"> | undefined,
): boolean {
  if (current === undefined) return true;
  if (update.incarnation !== current.incarnation) {
    return update.incarnation > current.incarnation;
  }
  return stateRank(update.state) > stateRank(current.state);
}

/** Whether a member still takes part in probing and gossip. */
export function isActive(state: MemberState): boolean {
  return state === "alive" || state === "suspect";
}

/** A metadata value with nothing detected and no tags. */
export function emptyMeta(): MemberMeta {
  return { cpus: 0, memoryMiB: 0, tags: {} };
}
