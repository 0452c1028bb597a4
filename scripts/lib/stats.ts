/**
 * Small helpers for benchmark figures: percentiles and process usage.
 *
 * @module
 */

/** Median, p99 and extremes of a list of samples. */
export interface Summary {
  count: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

/** Summarizes samples; p99 uses the nearest-rank method. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) {
    return { count: 0, min: NaN, median: NaN, p99: NaN, max: NaN };
  }
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return {
    count: s.length,
    min: s[0],
    median: rank(0.5),
    p99: rank(0.99),
    max: s[s.length - 1],
  };
}

/** CPU seconds used so far and resident memory of a Linux process. */
export function procUsage(pid: number): { cpuS: number; rssMiB: number } {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const rssKiB = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    return { cpuS: ticks / 100, rssMiB: rssKiB / 1024 };
  } catch {
    return { cpuS: NaN, rssMiB: NaN };
  }
}
