/**
 * Counters the core keeps for metrics and tests.
 *
 * @module
 */

import { DROP_REASONS, type DropReason } from "../wire/mod.ts";

/** Why a datagram or message was not acted on. */
export type DropCounter = DropReason | "misdirected";

/** Counters since the node started. */
export interface NodeStats {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Datagrams rejected by the decoder, and pings meant for another name. */
  drops: Record<DropCounter, number>;
  /** Direct probes started. */
  probes: number;
  /** Probes that ended with no ack, direct or indirect. */
  probesFailed: number;
  /** Probes that needed helpers. */
  indirectProbes: number;
  /** Suspicions this node raised itself. */
  suspicionsRaised: number;
  /** Times this node refuted a suspicion of itself. */
  refutes: number;
  /** Lifeguard local health score, 0 (healthy) to 7. */
  healthScore: number;
  /** Updates waiting in the retransmit queue. */
  broadcastQueue: number;
}

/** All counters at zero. */
export function newStats(): NodeStats {
  const drops = Object.fromEntries(
    [...DROP_REASONS, "misdirected"].map((r) => [r, 0]),
  ) as Record<DropCounter, number>;
  return {
    packetsIn: 0,
    packetsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    drops,
    probes: 0,
    probesFailed: 0,
    indirectProbes: 0,
    suspicionsRaised: 0,
    refutes: 0,
    healthScore: 0,
    broadcastQueue: 0,
  };
}
