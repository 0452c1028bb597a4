/**
 * What the core hands back to its adapter: bytes to send, when to wake it,
 * and what changed.
 *
 * @module
 */

import type { Member, MemberState } from "./member.ts";

/** A datagram to send. */
export interface Outbound {
  /** Destination as `host:port` or `[v6]:port`. */
  to: string;
  bytes: Uint8Array;
}

/** A member changed state (or address or metadata while alive). */
export interface MemberEvent {
  type: "member";
  /** State before; null when the member was not known. */
  from: MemberState | null;
  /** The member as it is now. */
  member: Member;
  /** Who caused the change, when a member raised it. */
  by?: string;
  atMs: number;
}

/** A member was forgotten after being dead or left for a while. */
export interface ReapEvent {
  type: "reaped";
  name: string;
  atMs: number;
}

/** Progress of joining through seeds. */
export interface JoinEvent {
  type: "joined" | "join-retry";
  /** Seed that answered (joined) or seeds tried (join-retry). */
  seeds: string[];
  /** Attempts made so far. */
  attempt: number;
  atMs: number;
}

/** This node raised its own incarnation to refute a suspicion. */
export interface RefuteEvent {
  type: "refuted";
  incarnation: number;
  /** State the others held us in. */
  accused: MemberState;
  atMs: number;
}

/** The node finished leaving; the adapter may close its socket. */
export interface StoppedEvent {
  type: "stopped";
  atMs: number;
}

/** Everything the core reports. */
export type NodeEvent =
  | MemberEvent
  | ReapEvent
  | JoinEvent
  | RefuteEvent
  | StoppedEvent;

/** The result of every call into the core. */
export interface Effects {
  sends: Outbound[];
  /** When the core next needs `tick()`; Infinity when never. */
  wakeAtMs: number;
  events: NodeEvent[];
}
