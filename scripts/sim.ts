/**
 * Simulated-cluster report: for each N and loss rate, a formed cluster
 * measures how fast a join spreads, how fast a crash is detected, false
 * DEAD verdicts and idle traffic; then a 10-minute soak at 10 % loss and
 * the gossip-speed check. Seeded, so runs replay. Each run is a child
 * process of its own (memory is released between runs, and `--jobs 2`
 * uses both cores).
 *
 *   deno task sim [--nodes 100,1000,10000] [--loss 0,0.1,0.3]
 *                 [--profile default|lan] [--seed 1] [--jobs 1]
 *                 [--soak-minutes 10] [--max-wall-min 60]
 *                 [--push-pull-below 10000] [--max-rss-gib 20/jobs]
 *                 [--out bench/results/sim/sim.json]
 *
 * @module
 */

import { scriptFlags } from "./lib/script_args.ts";
import {
  type Profile,
  type Quantiles,
  runExperiment,
  type RunResult,
  type RunSpec,
} from "../src/sim/experiment.ts";
import { runSoak, type SoakResult, type SoakSpec } from "../src/sim/soak.ts";
import { linePlot, type Series } from "./lib/svg_plot.ts";

type Job = { kind: "run"; spec: RunSpec } | { kind: "soak"; spec: SoakSpec };

const USAGE = `Usage: deno task sim [--nodes 100,1000,10000] [--loss 0,0.1,0.3]
                     [--profile default|lan] [--seed 1] [--jobs 1]
                     [--soak-minutes 10] [--max-wall-min 60]
                     [--push-pull-below 10000] [--max-rss-gib 20/jobs]
                     [--out bench/results/sim/sim.json]

Runs unmodified cores on one virtual clock: for each N and loss rate a
formed cluster measures a join, a crash and idle traffic; then a soak of
100 nodes at 10 % loss (--soak-minutes 0 skips it) and the gossip-speed
check. Writes the JSON report and SVG plots next to it (--out).
`;

const flags = scriptFlags("sim", USAGE, {
  nodes: { type: "string", default: "100,1000,10000" },
  loss: { type: "string", default: "0,0.1,0.3" },
  profile: { type: "string", default: "default" },
  seed: { type: "string", default: "1" },
  jobs: { type: "string", default: "1" },
  "soak-minutes": { type: "string", default: "10" },
  "max-wall-min": { type: "string", default: "60" },
  "push-pull-below": { type: "string", default: "10000" },
  "max-rss-gib": { type: "string" },
  out: { type: "string" },
  worker: { type: "string" },
});

/**
 * JS heap of a child. A 10,000-node run idles near 7 GiB of RSS, of which
 * about 2.5 GiB is JS heap (the member columns are typed arrays, off the
 * heap); a tighter heap makes V8 collect sooner instead of growing.
 */
const CHILD_HEAP_MB = 7168;
/** The gossip goal: 99.99 % of 10,000 nodes informed within 2.5 s. */
const GOSSIP_GOAL = { nodes: 10_000, quantile: "p99.99", withinMs: 2500 };

function worker(job: Job, maxRssBytes: number): void {
  const log = (line: string) => console.error(line);
  const overBudget = () => {
    const rss = Deno.memoryUsage().rss;
    if (rss <= maxRssBytes) return undefined;
    return `memory budget spent (RSS ${(rss / 2 ** 30).toFixed(1)} GiB)`;
  };
  const result = job.kind === "run"
    ? runExperiment(job.spec, { log, overBudget })
    : runSoak(job.spec, log);
  console.log(JSON.stringify(result));
}

async function main(): Promise<void> {
  const profile = parseProfile(flags.profile!);
  const seed = int(flags.seed!, "seed");
  const nodes = list(flags.nodes!, "nodes").map((n) => int(String(n), "nodes"));
  const losses = list(flags.loss!, "loss");
  if (losses.some((l) => l >= 1)) {
    throw new RangeError(
      `Cannot run the simulation as --loss must be below 1: current value is ${flags.loss}`,
    );
  }
  const soakMinutes = Number(flags["soak-minutes"]);
  const maxWallMs = Number(flags["max-wall-min"]) * 60_000;
  const pushPullBelow = Number(flags["push-pull-below"]);
  const out = flags.out ??
    `bench/results/sim/sim${profile === "lan" ? "_lan" : ""}.json`;

  const jobs: Job[] = [];
  for (const n of nodes) {
    for (const loss of losses) {
      const spec = { nodes: n, loss, profile, seed, maxWallMs };
      jobs.push({
        kind: "run",
        spec: { ...spec, pushPull: n < pushPullBelow },
      });
    }
  }
  if (soakMinutes > 0) {
    jobs.push({
      kind: "soak",
      spec: { nodes: 100, loss: 0.1, minutes: soakMinutes, profile, seed },
    });
  }

  const started = performance.now();
  // Children share the machine's memory: 20 GiB between them by default.
  const parallel = int(flags.jobs!, "jobs");
  const maxRssGiB = Number(flags["max-rss-gib"] ?? 20 / parallel);
  const results = await runAll(jobs, parallel, maxRssGiB);
  const runs = results.filter((r): r is RunResult => "join" in r);
  const soak = results.find((r): r is SoakResult => "falseDeadEvents" in r);
  const report = {
    generatedAt: new Date().toISOString(),
    command: `deno task sim ${Deno.args.join(" ")}`.trim(),
    profile,
    seed,
    wallSeconds: (performance.now() - started) / 1000,
    notes: NOTES,
    runs,
    soak: soak ?? null,
    gossipCheck: gossipCheck(runs),
  };

  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(report, null, 1) + "\n");
  const svgs = await writePlots(runs, out, profile);
  printTable(runs, soak, report.gossipCheck);
  console.log(`\nwrote ${out} and ${svgs.join(", ")}`);
}

const NOTES = [
  "Clusters start formed (SimCluster.startFormed, a simulation shortcut): every node preloaded with all members as alive, no news queued.",
  "Network: one-way delay 1 ms plus 0-1 ms jitter; loss applies to every datagram independently.",
  "Push-pull (full-state sync) is off at N >= --push-pull-below (default 10000): at 10,000 members each sync is about 250 datagrams of 40 records, which would make the simulator several times slower than real time; gossip alone carries the news there.",
  "Join times are from the start of the new node (timesMs) and from the moment its seed learned of it (fromSeedMs); crash times from the crash.",
  "False DEAD: member events declaring dead a member that was running; events count every observer, members count distinct victims.",
];

/** Runs jobs in child processes, `parallel` at a time, in order. */
async function runAll(
  jobs: Job[],
  parallel: number,
  maxRssGiB: number,
): Promise<(RunResult | SoakResult)[]> {
  const results: (RunResult | SoakResult)[] = new Array(jobs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, parallel) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await runChild(jobs[i], maxRssGiB);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function runChild(
  job: Job,
  maxRssGiB: number,
): Promise<RunResult | SoakResult> {
  const label = job.kind === "run"
    ? `N=${job.spec.nodes} loss=${job.spec.loss}`
    : `soak N=${job.spec.nodes} loss=${job.spec.loss}`;
  console.error(`start ${label}`);
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=--max-old-space-size=${CHILD_HEAP_MB}`,
      new URL(import.meta.url).pathname,
      "--worker",
      JSON.stringify(job),
      "--max-rss-gib",
      String(maxRssGiB),
    ],
    stdout: "piped",
    stderr: "inherit",
  });
  const { code, stdout } = await child.output();
  if (code !== 0) throw new Error(`${label} failed with exit code ${code}`);
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  console.error(`done ${label} in ${secs} s`);
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

function gossipCheck(runs: RunResult[]) {
  const run = runs.find((r) => r.spec.nodes === GOSSIP_GOAL.nodes && r.join);
  if (!run?.join) {
    return { ran: false, goal: GOSSIP_GOAL, note: "needs an N=10000 run" };
  }
  const ms = run.join.fromSeedMs[GOSSIP_GOAL.quantile];
  return {
    ran: true,
    goal: GOSSIP_GOAL,
    loss: run.spec.loss,
    gossip: `${run.options.gossipIntervalMs} ms to ${run.options.gossipFanout}`,
    measuredMs: ms,
    passed: ms !== null && ms <= GOSSIP_GOAL.withinMs,
  };
}

// ---- plots ----------------------------------------------------------------

const COLORS: Record<number, string> = {
  100: "#1f77b4",
  1000: "#d62728",
  10000: "#2ca02c",
};
const DASHES: Record<string, string | undefined> = {
  "0": undefined,
  "0.1": "7 3",
  "0.3": "2 3",
};

async function writePlots(
  runs: RunResult[],
  out: string,
  profile: Profile,
): Promise<string[]> {
  const base = out.replace(/\.json$/, "");
  const style = (r: RunResult) => ({
    label: `N=${r.spec.nodes}, loss ${Math.round(r.spec.loss * 100)}%`,
    color: COLORS[r.spec.nodes] ?? "#555",
    dash: String(r.spec.loss) in DASHES
      ? DASHES[String(r.spec.loss)]
      : "4 2 1 2",
  });
  const toPoints = (t: number[], f: number[]) =>
    t.map((ms, i) => [ms / 1000, f[i]] as [number, number]);

  const figures: [string, Series[], string, string][] = [
    [
      "join",
      runs.filter((r) => r.join).map((r) => ({
        ...style(r),
        points: toPoints(r.join!.curve.tMs, r.join!.curve.fraction),
      })),
      `A node joins: fraction of nodes that hold it alive (${profile})`,
      "seconds since the new node started",
    ],
    [
      "suspect",
      runs.filter((r) => r.crash).map((r) => ({
        ...style(r),
        points: toPoints(
          r.crash!.suspectCurve.tMs,
          r.crash!.suspectCurve.fraction,
        ),
      })),
      `A node crashes: fraction that hold it suspect or dead (${profile})`,
      "seconds since the crash",
    ],
    [
      "dead",
      runs.filter((r) => r.crash).map((r) => ({
        ...style(r),
        points: toPoints(r.crash!.deadCurve.tMs, r.crash!.deadCurve.fraction),
      })),
      `A node crashes: fraction that hold it dead (${profile})`,
      "seconds since the crash",
    ],
  ];

  const written: string[] = [];
  for (const [name, series, title, xLabel] of figures) {
    if (series.length === 0) continue;
    const path = `${base}_${name}.svg`;
    await Deno.writeTextFile(
      path,
      linePlot(series, {
        title,
        xLabel,
        yLabel: "fraction of the other nodes",
        hLines: [{ y: 0.9999, label: "99.99 %" }],
      }),
    );
    written.push(path);
  }
  return written;
}

// ---- table ----------------------------------------------------------------

function printTable(
  runs: RunResult[],
  soak: SoakResult | undefined,
  check: ReturnType<typeof gossipCheck>,
): void {
  const head = [
    "N",
    "loss",
    "join p50",
    "p99.99",
    "all",
    "suspect p50",
    "p99.99",
    "all",
    "dead p50",
    "p99.99",
    "all",
    "false dead",
    "idle pkt/s",
    "idle B/s",
    "sim s/wall s",
    "wall s",
  ];
  const rows = runs.map((r) => [
    String(r.spec.nodes),
    `${Math.round(r.spec.loss * 100)}%`,
    ...secs(r.join?.timesMs, ["p50", "p99.99", "all"]),
    ...secs(r.crash?.suspectMs, ["p50", "p99.99", "all"]),
    ...secs(r.crash?.deadMs, ["p50", "p99.99", "all"]),
    `${r.falseAlarms.deadEvents}/${r.falseAlarms.deadMembers}`,
    r.idle ? r.idle.packetsPerNodePerS.toFixed(2) : "-",
    r.idle ? r.idle.bytesPerNodePerS.toFixed(0) : "-",
    r.idle ? r.idle.simSecondsPerWallSecond.toFixed(2) : "-",
    `${r.wallSeconds.total.toFixed(0)}${r.incomplete ? "*" : ""}`,
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  const fmt = (cells: string[]) =>
    cells.map((c, i) => c.padStart(widths[i])).join("  ");

  console.log("\ntimes in seconds (join from start, suspect/dead from crash);");
  console.log("false dead = events/members; * = stopped at the wall budget\n");
  console.log(fmt(head));
  for (const row of rows) console.log(fmt(row));
  for (const r of runs.filter((r) => r.incomplete)) {
    console.log(`* N=${r.spec.nodes} loss=${r.spec.loss}: ${r.incomplete}`);
  }

  if (soak) {
    console.log(
      `\nsoak: N=${soak.spec.nodes}, loss ${soak.spec.loss * 100}%, ` +
        `${soak.spec.minutes} min: false dead ${soak.falseDeadEvents} ` +
        `(${soak.falseDeadMembers} members, target 0), false suspect ` +
        `${soak.falseSuspectEvents}, refutes ${soak.refutes}, ` +
        `${soak.packetsPerNodePerS.toFixed(2)} pkt/s and ` +
        `${soak.bytesPerNodePerS.toFixed(0)} B/s per node`,
    );
  }
  if (check.ran) {
    console.log(
      `gossip check (${check.gossip}): 99.99 % of 10,000 nodes knew of the ` +
        `join ${fmtMs(check.measuredMs ?? null)} s after its seed did ` +
        `(goal 2.5 s): ${check.passed ? "PASS" : "FAIL"}`,
    );
  } else {
    console.log("gossip check: not run (needs an N=10000 run)");
  }
}

function secs(q: Quantiles | undefined, keys: string[]): string[] {
  return keys.map((k) => (q ? fmtMs(q[k]) : "-"));
}

function fmtMs(ms: number | null): string {
  return ms === null ? "never" : (ms / 1000).toFixed(2);
}

// ---- flags ----------------------------------------------------------------

function parseProfile(value: string): Profile {
  if (value === "default" || value === "lan") return value;
  throw new TypeError(
    `Cannot run the simulation as --profile must be default or lan: current value is ${value}`,
  );
}

function list(value: string, name: string): number[] {
  const items = value.split(",").map((s) => Number(s.trim()));
  if (items.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new TypeError(
      `Cannot run the simulation as --${name} must be numbers separated by commas: current value is ${value}`,
    );
  }
  return items;
}

function int(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot run the simulation as --${name} must be a positive integer: current value is ${value}`,
    );
  }
  return n;
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "." : path.slice(0, i);
}

if (flags.worker !== undefined) {
  worker(
    JSON.parse(flags.worker) as Job,
    Number(flags["max-rss-gib"]) * 2 ** 30,
  );
} else {
  await main().catch((e) => {
    console.error(`sim: ${e instanceof Error ? e.message : e}`);
    Deno.exit(2);
  });
}
