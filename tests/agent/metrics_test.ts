import assert from "node:assert/strict";
import { type MetricsInput, renderMetrics } from "../../src/agent/metrics.ts";
import { newStats } from "../../src/core/mod.ts";

function input(): MetricsInput {
  const stats = {
    ...newStats(),
    packetsIn: 10,
    packetsOut: 12,
    bytesIn: 1000,
    bytesOut: 1300,
    probes: 7,
    probesFailed: 2,
    indirectProbes: 3,
    suspicionsRaised: 1,
    refutes: 4,
    healthScore: 2,
    broadcastQueue: 5,
    sendErrors: 6,
  };
  stats.drops["bad-checksum"] = 9;
  return {
    stats,
    members: [
      { state: "alive" },
      { state: "alive" },
      { state: "suspect" },
      { state: "left" },
    ],
    build: { version: "0.1.0", commit: "abc1234", runtime: "deno 2.9.6" },
    uptimeMs: 61_500,
  };
}

/** `name{labels} value` lines as a map, comments left out. */
function samples(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

Deno.test("renderMetrics() gives every sample its value", () => {
  const s = samples(renderMetrics(input()));
  assert.equal(s.get('rads_members{state="alive"}'), "2");
  assert.equal(s.get('rads_members{state="suspect"}'), "1");
  assert.equal(s.get('rads_members{state="dead"}'), "0");
  assert.equal(s.get('rads_members{state="left"}'), "1");
  assert.equal(s.get("rads_probes_total"), "7");
  assert.equal(s.get("rads_probes_failed_total"), "2");
  assert.equal(s.get("rads_indirect_probes_total"), "3");
  assert.equal(s.get("rads_suspicions_raised_total"), "1");
  assert.equal(s.get("rads_refutations_total"), "4");
  assert.equal(s.get("rads_packets_received_total"), "10");
  assert.equal(s.get("rads_packets_sent_total"), "12");
  assert.equal(s.get("rads_received_bytes_total"), "1000");
  assert.equal(s.get("rads_sent_bytes_total"), "1300");
  assert.equal(
    s.get('rads_datagrams_rejected_total{reason="bad-checksum"}'),
    "9",
  );
  assert.equal(
    s.get('rads_datagrams_rejected_total{reason="misdirected"}'),
    "0",
  );
  assert.equal(s.get("rads_broadcast_queue_depth"), "5");
  assert.equal(s.get("rads_health_score"), "2");
  assert.equal(s.get("rads_send_errors_total"), "6");
  assert.equal(s.get("rads_uptime_seconds"), "61.5");
  assert.equal(
    s.get(
      'rads_build_info{version="0.1.0",commit="abc1234",runtime="deno 2.9.6"}',
    ),
    "1",
  );
});

Deno.test("renderMetrics() gives each family one HELP and one TYPE line before its samples", () => {
  const text = renderMetrics(input());
  assert.ok(text.endsWith("\n"));
  const seen = new Map<string, string>();
  let current = "";
  for (const line of text.trimEnd().split("\n")) {
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (kind === "HELP") {
        assert.ok(!seen.has(name), `family ${name} appears twice`);
        current = name;
      } else {
        assert.equal(name, current, "TYPE follows its HELP");
        assert.match(rest, /^(counter|gauge)$/);
        seen.set(name, rest);
      }
      continue;
    }
    const sample = /^(rads_\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    assert.equal(sample[1], current, `${sample[1]} outside its family`);
    assert.ok(!Number.isNaN(Number(sample[3])), line);
  }
  for (const [name, type] of seen) {
    assert.equal(name.endsWith("_total"), type === "counter", name);
  }
});

Deno.test("renderMetrics() escapes label values", () => {
  const text = renderMetrics({
    ...input(),
    build: { version: 'a"b', commit: "c\\d", runtime: "e\nf" },
  });
  assert.ok(
    text.includes(
      'rads_build_info{version="a\\"b",commit="c\\\\d",runtime="e\\nf"} 1\n',
    ),
    text,
  );
});

Deno.test("renderMetrics() adds event handler counters only when given", () => {
  assert.ok(!renderMetrics(input()).includes("rads_event_handler"));
  const s = samples(renderMetrics({
    ...input(),
    hooks: {
      succeeded: 3,
      failed: 1,
      timedOut: 2,
      dropped: 4,
      running: 1,
      queued: 0,
    },
  }));
  assert.equal(s.get('rads_event_handler_runs_total{result="ok"}'), "3");
  assert.equal(s.get('rads_event_handler_runs_total{result="failed"}'), "1");
  assert.equal(s.get('rads_event_handler_runs_total{result="timeout"}'), "2");
  assert.equal(s.get("rads_event_handler_dropped_total"), "4");
  assert.equal(s.get("rads_event_handlers_running"), "1");
  assert.equal(s.get("rads_event_handler_queue_depth"), "0");
});
