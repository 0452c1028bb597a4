/**
 * Startup to listening, idle memory and file size: the compiled binary
 * beside `deno run` of the same sources, and a bare UDP socket script on
 * each runtime as the floor our code adds to.
 *
 *   deno run -A scripts/bench_startup.ts [--runs 10] [--bin dist/rads-node]
 *
 * @module
 */

import { defaultLauncher, freePortBlock, type Launcher } from "./lib/agents.ts";
import { procUsage, summarize } from "./lib/stats.ts";
import { scriptFlags } from "./lib/script_args.ts";

const USAGE_BENCH_STARTUP =
  `Startup to listening, idle memory and file size: the compiled binary
beside \`deno run\` of the same sources, and a bare UDP socket script on
each runtime as the floor our code adds to.

  deno run -A scripts/bench_startup.ts [--runs 10] [--bin dist/rads-node]
`;

const values = scriptFlags("bench_startup", USAGE_BENCH_STARTUP, {
  runs: { type: "string", default: "10" },
  bin: { type: "string", default: "dist/rads-node" },
});
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

/** Starts an agent and times it until its UDP socket and API answer. */
async function startOnce(l: Launcher): Promise<{ ms: number; rssMiB: number }> {
  const port = freePortBlock(2);
  const t0 = performance.now();
  const child = new Deno.Command(l.cmd, {
    args: [
      ...l.args,
      "agent",
      "--name",
      "s",
      "--bind",
      `127.0.0.1:${port}`,
      "--control",
      `127.0.0.1:${port + 1}`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let ms = NaN;
    for (let i = 0; i < 500; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port + 1}/health`);
        await res.body?.cancel();
        ms = performance.now() - t0;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    // Idle memory once things settle.
    await new Promise((r) => setTimeout(r, 3000));
    return { ms, rssMiB: procUsage(child.pid).rssMiB };
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

/** RSS of a script that only binds a UDP socket, per runtime. */
async function floorRss(cmd: string[], file: string, src: string) {
  const path = `${await Deno.makeTempDir()}/${file}`;
  await Deno.writeTextFile(path, src);
  const child = new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), path],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 3000));
  const rss = procUsage(child.pid).rssMiB;
  child.kill("SIGKILL");
  await child.status;
  return rss;
}

const BARE_DENO =
  `const s = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0,
  transport: "udp" }); for await (const _ of s) {}`;
const BARE_BUN = `await Bun.udpSocket({ hostname: "127.0.0.1", port: 0,
  socket: { data() {} } }); setInterval(() => {}, 1e6);`;

if (import.meta.main) {
  const bin = `${root}/${values.bin}`;
  const launchers: Record<string, Launcher> = {
    "deno run (sources)": { ...defaultLauncher(), cmd: Deno.execPath() },
    "bun binary": { cmd: bin, args: [] },
  };
  const out: Record<string, unknown> = {};
  for (const [label, l] of Object.entries(launchers)) {
    const starts: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await startOnce(l);
      starts.push(r.ms);
      rss.push(r.rssMiB);
    }
    out[label] = { startupMs: summarize(starts), idleRssMiB: summarize(rss) };
    const s = summarize(starts), m = summarize(rss);
    console.log(
      `${label}: startup to listening ${s.median.toFixed(0)} ms median ` +
        `(${s.min.toFixed(0)}-${s.max.toFixed(0)}), idle RSS ` +
        `${m.median.toFixed(1)} MiB`,
    );
  }
  const size = (await Deno.stat(bin)).size / 2 ** 20;
  console.log(`binary size: ${size.toFixed(1)} MiB`);

  const denoFloor = await floorRss(
    [Deno.execPath(), "run", "-A", "--unstable-net"],
    "bare.ts",
    BARE_DENO,
  );
  // npx is a Node wrapper: ask Bun for its own path and run it directly.
  const bunPath = new TextDecoder().decode(
    (await new Deno.Command("npx", {
      args: ["-y", "bun@1.4.5", "-e", "console.log(process.execPath)"],
      stdout: "piped",
    }).output()).stdout,
  ).trim();
  const bunFloor = await floorRss([bunPath, "run"], "bare.ts", BARE_BUN);
  console.log(
    `runtime floor (bare UDP socket script): deno ${
      denoFloor.toFixed(1)
    } MiB, ` +
      `bun ${bunFloor.toFixed(1)} MiB`,
  );
  out.binarySizeMiB = size;
  out.floorRssMiB = { deno: denoFloor, bun: bunFloor };
  await Deno.mkdir(`${root}/bench/results`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/bench/results/startup.json`,
    JSON.stringify(out, null, 2) + "\n",
  );
}
