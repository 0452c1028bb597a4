/**
 * The messages nodes exchange. A datagram (see frame.ts) carries one or more
 * of them.
 *
 * @module
 */

import type { MemberMeta, MemberState } from "../core/member.ts";

/** Direct probe: "are you there?". Answered with an ack. */
export interface PingMessage {
  type: "ping";
  seq: number;
  /** Name of the prober, so the target learns who asked. */
  from: string;
  /** Name the prober expects to answer; a node with another name ignores it. */
  target: string;
}

/** Request that the receiver probe `target` on behalf of `from`. */
export interface PingReqMessage {
  type: "ping-req";
  seq: number;
  from: string;
  target: string;
  targetAddr: string;
}

/** Answer to a ping, direct or relayed by an indirect-probe helper. */
export interface AckMessage {
  type: "ack";
  seq: number;
  from: string;
}

/** Lifeguard: a helper tells the prober the target did not answer it either. */
export interface NackMessage {
  type: "nack";
  seq: number;
  from: string;
}

/** News that a member is alive at an incarnation, with address and meta. */
export interface AliveMessage {
  type: "alive";
  name: string;
  incarnation: number;
  addr: string;
  meta: MemberMeta;
}

/** News that a member is suspect, dead or has left, and who said so. */
export interface DownMessage {
  type: "suspect" | "dead" | "left";
  name: string;
  incarnation: number;
  by: string;
}

/** One member as carried in a push-pull exchange. */
export interface MemberRecord {
  name: string;
  addr: string;
  incarnation: number;
  state: MemberState;
  meta: MemberMeta;
}

/**
 * Part of a full-state exchange. Large member lists are split over several
 * datagrams; each part stands on its own, so no reassembly is needed.
 */
export interface PushPullMessage {
  type: "push-pull";
  /** Sender of this part. */
  from: string;
  /** True on the parts sent in answer, so the receiver does not answer back. */
  reply: boolean;
  members: MemberRecord[];
}

/** Every message of the protocol. */
export type Message =
  | PingMessage
  | PingReqMessage
  | AckMessage
  | NackMessage
  | AliveMessage
  | DownMessage
  | PushPullMessage;

/** Message type codes on the wire. Never reuse a retired code. */
export const MESSAGE_CODES = {
  "ping": 1,
  "ping-req": 2,
  "ack": 3,
  "nack": 4,
  "alive": 5,
  "suspect": 6,
  "dead": 7,
  "left": 8,
  "push-pull": 9,
} as const satisfies Record<Message["type"], number>;

/** Limits that decoding enforces before it trusts anything. */
export const WIRE_LIMITS = {
  /** Longest node name, in UTF-8 bytes. */
  nameBytes: 128,
  /** Longest address string, in bytes. */
  addrBytes: 64,
  /** Most tags on one member. */
  tags: 32,
  /** Longest tag key or value, in UTF-8 bytes. */
  tagBytes: 255,
  /**
   * Largest encoded meta (cpus, memory, tags), in bytes. Without it 32 tags
   * of 255-byte keys and values (about 16 KiB) could never fit a datagram;
   * at 4096 any alive message or push-pull record still fits one alone.
   */
  metaBytes: 4096,
  /** Largest datagram accepted; larger ones are dropped as oversized. */
  datagramBytes: 8192,
} as const;
