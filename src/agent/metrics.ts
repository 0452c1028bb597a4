/**
 * The node's counters in the Prometheus text exposition format (0.0.4),
 * for `GET /metrics`. A pure function: the control API gathers the input.
 *
 * @module
 */

import { type Member, MEMBER_STATES, type NodeStats } from "../core/mod.ts";

/** Content-Type of the text {@linkcode renderMetrics} returns. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** What this program is and where it runs, for `rads_build_info`. */
export interface BuildInfo {
  version: string;
  commit: string;
  /** `deno 2.9.6`, `bun 1.4.5`. */
  runtime: string;
}

/** Counters of the event handlers, when any are configured. */
export interface HookStats {
  /** Handlers that exited 0. */
  succeeded: number;
  /** Handlers that exited non-zero or could not start. */
  failed: number;
  /** Handlers killed for running past their timeout. */
  timedOut: number;
  /** Events not handled because the queue was full. */
  dropped: number;
  /** Handlers running now. */
  running: number;
  /** Handlers waiting for a free slot. */
  queued: number;
}

/** Everything the metrics page shows. */
export interface MetricsInput {
  stats: NodeStats & { sendErrors: number };
  /** Members known, self included. */
  members: readonly Pick<Member, "state">[];
  build: BuildInfo;
  /** Time since the agent started, in ms. */
  uptimeMs: number;
  hooks?: HookStats;
}

/** A label set and the value of one sample. */
type Sample = [labels: Record<string, string>, value: number];

/** One metric family: its name, type, help line and samples. */
interface Family {
  name: string;
  type: "counter" | "gauge";
  help: string;
  samples: Sample[];
}

/** The page for `GET /metrics`: HELP and TYPE lines, then the samples. */
export function renderMetrics(input: MetricsInput): string {
  const families = [
    ...memberFamilies(input),
    ...protocolFamilies(input.stats),
    ...trafficFamilies(input.stats),
    ...(input.hooks ? hookFamilies(input.hooks) : []),
    ...processFamilies(input),
  ];
  return families.map(renderFamily).join("");
}

function memberFamilies(input: MetricsInput): Family[] {
  const counts = Object.fromEntries(MEMBER_STATES.map((s) => [s, 0]));
  for (const m of input.members) counts[m.state] += 1;
  return [
    gauge(
      "rads_members",
      "Members this node knows of, by state, itself included.",
      MEMBER_STATES.map((state) => [{ state }, counts[state]]),
    ),
  ];
}

function protocolFamilies(s: NodeStats): Family[] {
  return [
    counter("rads_probes_total", "Direct probes started.", s.probes),
    counter(
      "rads_probes_failed_total",
      "Probes that ended with no ack, direct or indirect.",
      s.probesFailed,
    ),
    counter(
      "rads_indirect_probes_total",
      "Probes that needed helpers to probe indirectly.",
      s.indirectProbes,
    ),
    counter(
      "rads_suspicions_raised_total",
      "Suspicions this node raised itself.",
      s.suspicionsRaised,
    ),
    counter(
      "rads_refutations_total",
      "Times this node refuted a suspicion of itself.",
      s.refutes,
    ),
    gauge(
      "rads_broadcast_queue_depth",
      "Updates waiting in the retransmit queue.",
      [[{}, s.broadcastQueue]],
    ),
    gauge(
      "rads_health_score",
      "Lifeguard local health score, 0 (healthy) to 7.",
      [[{}, s.healthScore]],
    ),
  ];
}

function trafficFamilies(s: NodeStats & { sendErrors: number }): Family[] {
  const reasons = Object.keys(s.drops).sort() as (keyof typeof s.drops)[];
  return [
    counter("rads_packets_received_total", "Datagrams received.", s.packetsIn),
    counter("rads_packets_sent_total", "Datagrams sent.", s.packetsOut),
    counter(
      "rads_received_bytes_total",
      "Bytes of datagrams received.",
      s.bytesIn,
    ),
    counter("rads_sent_bytes_total", "Bytes of datagrams sent.", s.bytesOut),
    {
      name: "rads_datagrams_rejected_total",
      type: "counter",
      help: "Datagrams rejected by the decoder, and pings meant for another " +
        "node, by reason.",
      samples: reasons.map((reason) => [{ reason }, s.drops[reason]]),
    },
    counter(
      "rads_send_errors_total",
      "Datagrams the transport failed to send.",
      s.sendErrors,
    ),
  ];
}

function hookFamilies(h: HookStats): Family[] {
  return [
    {
      name: "rads_event_handler_runs_total",
      type: "counter",
      help: "Event handler runs that ended, by result.",
      samples: [
        [{ result: "ok" }, h.succeeded],
        [{ result: "failed" }, h.failed],
        [{ result: "timeout" }, h.timedOut],
      ],
    },
    counter(
      "rads_event_handler_dropped_total",
      "Events not handled because the handler queue was full.",
      h.dropped,
    ),
    gauge(
      "rads_event_handlers_running",
      "Event handlers running now.",
      [[{}, h.running]],
    ),
    gauge(
      "rads_event_handler_queue_depth",
      "Event handler runs waiting for a free slot.",
      [[{}, h.queued]],
    ),
  ];
}

function processFamilies(input: MetricsInput): Family[] {
  const { version, commit, runtime } = input.build;
  return [
    gauge(
      "rads_uptime_seconds",
      "Seconds since the agent started.",
      [[{}, Math.max(0, input.uptimeMs) / 1000]],
    ),
    gauge(
      "rads_build_info",
      "Always 1; the labels name the build and the runtime.",
      [[{ version, commit, runtime }, 1]],
    ),
  ];
}

function counter(name: string, help: string, value: number): Family {
  return { name, type: "counter", help, samples: [[{}, value]] };
}

function gauge(name: string, help: string, samples: Sample[]): Family {
  return { name, type: "gauge", help, samples };
}

function renderFamily(f: Family): string {
  let out = `# HELP ${f.name} ${
    escapeHelp(f.help)
  }\n# TYPE ${f.name} ${f.type}\n`;
  for (const [labels, value] of f.samples) {
    out += `${f.name}${renderLabels(labels)} ${renderValue(value)}\n`;
  }
  return out;
}

function renderLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) =>
    `${k}="${escapeLabel(v)}"`
  );
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Go-style floats: integers plain, `NaN`, `+Inf` and `-Inf` spelled out. */
function renderValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** Exposition format: in HELP, escape `\` and newline. */
function escapeHelp(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

/** Exposition format: in label values, escape `\`, `"` and newline. */
function escapeLabel(s: string): string {
  return escapeHelp(s).replaceAll('"', '\\"');
}
