/**
 * Benchmark of the watch view's terminal layer: 200 members and 50 state
 * changes a second, drawn by the real screen loop into a fake 160x50
 * terminal. Reports repaints per second and CPU use.
 *
 *   deno run -A scripts/bench_view.ts [--members 200] [--rate 50] [--seconds 10]
 *
 * @module
 */

import { PassThrough, Writable } from "node:stream";
import process from "node:process";
import { runScreen } from "../src/cli/_screen.ts";
import { scriptFlags } from "./lib/script_args.ts";

const USAGE_BENCH_VIEW =
  `Benchmark of the watch view's terminal layer: 200 members and 50 state
changes a second, drawn by the real screen loop into a fake 160x50
terminal. Reports repaints per second and CPU use.

  deno run -A scripts/bench_view.ts [--members 200] [--rate 50] [--seconds 10]
`;

const values = scriptFlags("bench_view", USAGE_BENCH_VIEW, {
  members: { type: "string", default: "200" },
  rate: { type: "string", default: "50" },
  seconds: { type: "string", default: "10" },
});
const members = Number(values.members);
const rate = Number(values.rate);
const seconds = Number(values.seconds);

/** Result of one run. */
export interface ViewBench {
  members: number;
  changesPerSec: number;
  seconds: number;
  repaintsPerSec: number;
  cpuPercentOfOneCore: number;
  bytesPerSec: number;
}

function member(i: number, state: string, inc: number) {
  return {
    name: `node-${String(i).padStart(3, "0")}`,
    addr: `10.0.${i >> 8}.${i & 255}:7946`,
    state,
    incarnation: inc,
    tags: { role: i % 3 === 0 ? "edge" : "core", zone: `z${i % 4}` },
    cpus: 4,
    memoryMiB: 8192,
    since: new Date().toISOString(),
  };
}

async function run(): Promise<ViewBench> {
  let bytes = 0;
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        bytes += chunk.length;
        done();
      },
    }),
    { columns: 160, rows: 50, isTTY: true },
  );
  const input = new PassThrough() as unknown as NodeJS.ReadStream;
  const stop = new AbortController();
  let paints = 0;

  const STATES = ["alive", "suspect", "dead", "alive", "left"];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const done = runScreen({
    title: "bench",
    color: true,
    io: { out: out as never, input },
    until: stop.signal,
    onPaint: () => paints++,
    start: async (feed, signal) => {
      feed.onStatus({ status: "connected" });
      feed.onLine({
        type: "snapshot",
        seq: 0,
        self: "node-000",
        members: Array.from(
          { length: members },
          (_, i) => member(i, "alive", 1),
        ),
      });
      // Spread the changes evenly: one every 1000 / rate ms.
      let seq = 1;
      while (!signal.aborted) {
        await new Promise((r) => setTimeout(r, 1000 / rate));
        const i = Math.floor(Math.random() * members);
        const to = STATES[seq % STATES.length];
        feed.onLine({
          type: "member",
          seq,
          at: new Date().toISOString(),
          from: "alive",
          to,
          by: "node-000",
          member: member(i, to, seq),
        });
        seq++;
      }
    },
  });

  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop.abort();
  await done;

  const wallS = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    members,
    changesPerSec: rate,
    seconds: wallS,
    repaintsPerSec: paints / wallS,
    cpuPercentOfOneCore: (100 * (cpu.user + cpu.system) / 1e6) / wallS,
    bytesPerSec: bytes / wallS,
  };
}

if (import.meta.main) {
  const r = await run();
  console.log(
    `view: ${r.members} members, ${r.changesPerSec} changes/s for ` +
      `${r.seconds.toFixed(1)} s: ${r.repaintsPerSec.toFixed(1)} repaints/s, ` +
      `${r.cpuPercentOfOneCore.toFixed(1)} % of one core, ` +
      `${Math.round(r.bytesPerSec / 1024)} KiB/s to the terminal`,
  );
  Deno.exit(0);
}
