/**
 * A small hand-written SVG line plot: axes with ticks, grid, labels and a
 * legend. Enough for "fraction of nodes against time" figures.
 *
 * @module
 */

/** One line of the plot. */
export interface Series {
  label: string;
  /** Points as [x, y], in data units, sorted by x. */
  points: [number, number][];
  color: string;
  /** SVG stroke-dasharray, e.g. "6 3"; solid when absent. */
  dash?: string;
}

/** Titles and ranges of a plot. */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** @default {760} */
  width?: number;
  /** @default {440} */
  height?: number;
  /** Upper end of the x axis; the data's largest x when absent. */
  xMax?: number;
  /** @default {0} */
  yMin?: number;
  /** @default {1} */
  yMax?: number;
  /** Formats y tick labels. @default {percent} */
  yFormat?: (y: number) => string;
  /** Optional horizontal reference lines, such as a target. */
  hLines?: { y: number; label: string }[];
  /** Optional vertical reference lines. */
  vLines?: { x: number; label: string }[];
}

const MARGIN = { left: 64, right: 210, top: 40, bottom: 52 };
/** Most points drawn per series; longer series are thinned evenly. */
const MAX_POINTS = 600;

/** Renders `series` as a standalone SVG document. */
export function linePlot(series: Series[], opts: PlotOptions): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 440;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xMax = opts.xMax ??
    Math.max(1e-9, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const yMin = opts.yMin ?? 0;
  const yMax = opts.yMax ?? 1;
  const x = (v: number) => MARGIN.left + (Math.min(v, xMax) / xMax) * plotW;
  const y = (v: number) =>
    MARGIN.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const yFormat = opts.yFormat ?? ((v: number) => `${Math.round(v * 100)}%`);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(width / 2 - MARGIN.right / 2 + MARGIN.left / 2, 22, opts.title, {
      anchor: "middle",
      size: 15,
      weight: "bold",
    }),
  ];

  // Grid and ticks first, so the lines draw over them.
  for (const t of ticks(0, xMax)) {
    parts.push(line(x(t), MARGIN.top, x(t), MARGIN.top + plotH, "#e4e4e4"));
    parts.push(text(x(t), MARGIN.top + plotH + 18, formatNumber(t), {
      anchor: "middle",
    }));
  }
  for (const t of ticks(yMin, yMax)) {
    parts.push(line(MARGIN.left, y(t), MARGIN.left + plotW, y(t), "#e4e4e4"));
    parts.push(text(MARGIN.left - 8, y(t) + 4, yFormat(t), { anchor: "end" }));
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    text(MARGIN.left + plotW / 2, height - 12, opts.xLabel, {
      anchor: "middle",
    }),
    `<text x="16" y="${
      MARGIN.top + plotH / 2
    }" text-anchor="middle" transform="rotate(-90 16 ${
      MARGIN.top + plotH / 2
    })">${escape(opts.yLabel)}</text>`,
  );

  for (const h of opts.hLines ?? []) {
    parts.push(
      line(MARGIN.left, y(h.y), MARGIN.left + plotW, y(h.y), "#999", "2 3"),
    );
    parts.push(text(MARGIN.left + 4, y(h.y) - 4, h.label, { color: "#666" }));
  }
  for (const v of opts.vLines ?? []) {
    if (v.x > xMax) continue;
    parts.push(
      line(x(v.x), MARGIN.top, x(v.x), MARGIN.top + plotH, "#999", "2 3"),
    );
    parts.push(text(x(v.x) + 4, MARGIN.top + 14, v.label, { color: "#666" }));
  }

  for (const s of series) parts.push(polyline(s, x, y));
  parts.push(legend(series, MARGIN.left + plotW + 16, MARGIN.top));
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function polyline(
  s: Series,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const pts = thin(s.points).map(([a, b]) =>
    `${x(a).toFixed(1)},${y(b).toFixed(1)}`
  ).join(" ");
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
  return `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${dash} points="${pts}"><title>${
    escape(s.label)
  }</title></polyline>`;
}

function legend(series: Series[], left: number, top: number): string {
  const rows = series.map((s, i) => {
    const ly = top + 10 + i * 18;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    return `<line x1="${left}" y1="${ly}" x2="${
      left + 26
    }" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>` +
      text(left + 32, ly + 4, s.label, {});
  });
  return rows.join("\n");
}

function thin(points: [number, number][]): [number, number][] {
  if (points.length <= MAX_POINTS) return points;
  const step = points.length / MAX_POINTS;
  const out: [number, number][] = [];
  for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

/** About five round tick values from `min` to `max`. */
export function ticks(min: number, max: number): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let t = first; t <= max + 1e-9 && out.length < 50; t += step) {
    out.push(Number(t.toFixed(10)));
  }
  return out;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: string,
  dash?: string,
): string {
  const d = dash ? ` stroke-dasharray="${dash}"` : "";
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${
    x2.toFixed(1)
  }" y2="${y2.toFixed(1)}" stroke="${color}"${d}/>`;
}

function text(
  x: number,
  y: number,
  content: string,
  o: { anchor?: string; size?: number; weight?: string; color?: string },
): string {
  const attrs = [
    `x="${x.toFixed(1)}"`,
    `y="${y.toFixed(1)}"`,
    o.anchor ? `text-anchor="${o.anchor}"` : "",
    o.size ? `font-size="${o.size}"` : "",
    o.weight ? `font-weight="${o.weight}"` : "",
    o.color ? `fill="${o.color}"` : "",
  ].filter((a) => a !== "").join(" ");
  return `<text ${attrs}>${escape(content)}</text>`;
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
