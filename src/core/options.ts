/**
 * Protocol timings and sizes, their defaults and the values derived from
 * cluster size.
 *
 * @module
 */

/** Tuning of the membership protocol. Every field has a default. */
export interface CoreOptions {
  /**
   * Protocol period: one member is probed per period, in ms (50..60000).
   * @default {500}
   */
  probeIntervalMs: number;
  /**
   * How long to wait for a direct ack before asking for indirect probes, in
   * ms; must be below probeIntervalMs.
   * @default {200}
   */
  probeTimeoutMs: number;
  /**
   * Members asked to probe a silent target indirectly (0..16).
   * @default {3}
   */
  indirectChecks: number;
  /**
   * How often gossip goes to `gossipFanout` random members, in ms (10..60000).
   * @default {200}
   */
  gossipIntervalMs: number;
  /**
   * Members that receive each gossip round (1..16).
   * @default {3}
   */
  gossipFanout: number;
  /**
   * Suspicion timeout floor, in protocol periods, scaled by max(1, log10 N).
   * @default {4}
   */
  suspicionMult: number;
  /**
   * Suspicion timeout ceiling as a multiple of the floor; the timeout starts
   * here and falls to the floor as independent confirmations arrive (>= 1).
   * @default {2}
   */
  suspicionMaxMult: number;
  /**
   * Retransmit limit per update is this times ceil(log10(N + 1)) (1..20).
   * @default {4}
   */
  retransmitMult: number;
  /**
   * Full-state exchange with one random member, in ms; 0 turns it off.
   * @default {30000}
   */
  pushPullIntervalMs: number;
  /**
   * How long dead and left members are kept (and reported) before they are
   * forgotten, in ms.
   * @default {1800000}
   */
  reapAfterMs: number;
  /**
   * Largest datagram the node sends, in bytes (512..8192).
   * @default {1400}
   */
  maxPacketBytes: number;
  /**
   * First delay before a join is retried, doubled per attempt, in ms.
   * @default {250}
   */
  joinRetryMinMs: number;
  /**
   * Longest delay between join attempts, in ms.
   * @default {5000}
   */
  joinRetryMaxMs: number;
  /**
   * How long a leaving node keeps gossiping its goodbye, in ms.
   * @default {1000}
   */
  leavePropagateMs: number;
}

/**
 * The defaults. They keep the original promises (a crashed node suspect
 * everywhere within 5 s and dead within 10 s, at up to 50 nodes) with room to
 * spare; see the README for the reasoning.
 */
export function defaultCoreOptions(): CoreOptions {
  return {
    // Two probes a second: a silent member is first probed by someone within
    // a few periods whatever N is (SWIM: ~1.58 periods expected).
    probeIntervalMs: 500,
    // Loopback and LAN round trips are far below this; it leaves time for
    // the indirect probes within the same period.
    probeTimeoutMs: 200,
    indirectChecks: 3,
    // Five gossip rounds a second to 3 members spread news to 50 nodes in
    // under a second (log base 3 of 50 is about 3.6 rounds).
    gossipIntervalMs: 200,
    gossipFanout: 3,
    // At N <= 10: 2 s floor, 4 s ceiling; at N = 50: 3.4 s and 6.8 s.
    suspicionMult: 4,
    suspicionMaxMult: 2,
    // memberlist's value: 4 x ceil(log10(N + 1)) sends of each update.
    retransmitMult: 4,
    pushPullIntervalMs: 30_000,
    reapAfterMs: 30 * 60_000,
    maxPacketBytes: 1400,
    joinRetryMinMs: 250,
    joinRetryMaxMs: 5000,
    leavePropagateMs: 1000,
  };
}

/**
 * HashiCorp memberlist's LAN defaults (`DefaultLANConfig`), for comparing
 * like with like: probe every 1 s with a 500 ms timeout and 3 indirect
 * checks, gossip every 200 ms to 3 members, suspicion multiplier 4 with a
 * ceiling of 6 times the floor, retransmit multiplier 4, push-pull every
 * 30 s. Every other field is as in `defaultCoreOptions()`.
 */
export function lanProfile(): CoreOptions {
  return {
    ...defaultCoreOptions(),
    probeIntervalMs: 1000,
    probeTimeoutMs: 500,
    indirectChecks: 3,
    gossipIntervalMs: 200,
    gossipFanout: 3,
    suspicionMult: 4,
    suspicionMaxMult: 6,
    retransmitMult: 4,
    pushPullIntervalMs: 30_000,
  };
}

/** Values that depend on how many members the cluster has. */
export interface ScaledTimings {
  /** Sends of each update before it leaves the broadcast queue. */
  retransmitLimit: number;
  /** Suspicion timeout once enough confirmations arrived, in ms. */
  suspicionMinMs: number;
  /** Suspicion timeout with no confirmation, in ms. */
  suspicionMaxMs: number;
  /** Confirmations that bring the timeout down to its floor. */
  expectedConfirmations: number;
  /** Mean time between full-state syncs with a live peer, in ms. */
  pushPullIntervalMs: number;
}

/**
 * Derives cluster-size-dependent values for `n` members (self included).
 *
 * Formulas as in memberlist and Lifeguard (log base 10):
 * retransmit limit = retransmitMult * ceil(log10(n + 1));
 * suspicion min = suspicionMult * max(1, log10 n) * probeIntervalMs;
 * suspicion max = suspicionMaxMult * min;
 * expected confirmations = min(suspicionMult - 2, n - 2), at least 0;
 * push-pull interval = pushPullIntervalMs * pushPullScale(n).
 */
export function scaledTimings(opts: CoreOptions, n: number): ScaledTimings {
  const size = Math.max(1, n);
  const retransmitLimit = opts.retransmitMult *
    Math.max(1, Math.ceil(Math.log10(size + 1)));

  const suspicionMinMs = opts.suspicionMult *
    Math.max(1, Math.log10(size)) * opts.probeIntervalMs;

  return {
    retransmitLimit,
    suspicionMinMs,
    suspicionMaxMs: suspicionMinMs * opts.suspicionMaxMult,
    expectedConfirmations: Math.max(
      0,
      Math.min(opts.suspicionMult - 2, size - 2),
    ),
    pushPullIntervalMs: opts.pushPullIntervalMs * pushPullScale(size),
  };
}

/**
 * memberlist's push-pull scaling: 1 up to 32 members, then one more for
 * each doubling (2 up to 64, 3 up to 128, ... 10 at 10,000), so the cost
 * of full-state syncs, which grows with the member list, grows slower.
 */
export function pushPullScale(n: number): number {
  if (n <= 32) return 1;
  return Math.ceil(Math.log2(n) - Math.log2(32)) + 1;
}

/**
 * Suspicion timeout after `confirmations` independent confirmations
 * (Lifeguard): falls from max to min on a log curve, reaching min once
 * `expected` confirmations arrived.
 */
export function suspicionTimeoutMs(
  t: ScaledTimings,
  confirmations: number,
): number {
  if (t.expectedConfirmations <= 0) return t.suspicionMinMs;

  const frac = Math.log(confirmations + 1) /
    Math.log(t.expectedConfirmations + 1);
  const ms = t.suspicionMaxMs - frac * (t.suspicionMaxMs - t.suspicionMinMs);
  return Math.max(t.suspicionMinMs, Math.floor(ms));
}
