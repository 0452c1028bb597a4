/**
 * Cold starts: five agents started at the same moment, four joining the
 * first, repeated; how long until every agent sees all five alive.
 *
 *   deno run -A scripts/bench_coldstart.ts [--runs 100] [--nodes 5]
 *
 * Uses RADSNODE_TEST_BIN (a compiled binary) when set, else the sources.
 *
 * @module
 */

import {
  type AgentProc,
  converged,
  freePortBlock,
  spawnAgent,
  stopAgent,
} from "./lib/agents.ts";
import { summarize } from "./lib/stats.ts";
import { scriptFlags } from "./lib/script_args.ts";

const USAGE_BENCH_COLDSTART =
  `Cold starts: five agents started at the same moment, four joining the
first, repeated; how long until every agent sees all five alive.

  deno run -A scripts/bench_coldstart.ts [--runs 100] [--nodes 5]

Uses RADSNODE_TEST_BIN (a compiled binary) when set, else the sources.
`;

const values = scriptFlags("bench_coldstart", USAGE_BENCH_COLDSTART, {
  runs: { type: "string", default: "100" },
  nodes: { type: "string", default: "5" },
});
const runs = Number(values.runs);
const n = Number(values.nodes);
const names = Array.from({ length: n }, (_, i) => `n${i + 1}`);

/** Seconds from the first spawn until all see all alive (or Infinity). */
async function once(): Promise<number> {
  const base = freePortBlock(2 * n);
  const agents: AgentProc[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    agents.push(spawnAgent({
      name: names[i],
      udpPort: base + i,
      controlPort: base + n + i,
      join: i === 0 ? [] : [`127.0.0.1:${base}`],
    }));
  }
  try {
    while (performance.now() - t0 < 20_000) {
      if (await converged(agents, names)) {
        return (performance.now() - t0) / 1000;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return Infinity;
  } finally {
    await Promise.all(agents.map((a) => stopAgent(a)));
  }
}

if (import.meta.main) {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    times.push(await once());
    if ((r + 1) % 10 === 0) console.error(`${r + 1}/${runs} cold starts`);
  }
  const s = summarize(times);
  const slow = times.filter((t) => t >= 1).length;
  console.log(
    `${runs} cold starts of ${n} agents: converged in ${
      s.median.toFixed(2)
    } s ` +
      `median, ${s.p99.toFixed(2)} s p99, ${s.max.toFixed(2)} s max ` +
      `(from the first process spawn, including process start); ` +
      `${slow} took 1 s or more`,
  );
}
