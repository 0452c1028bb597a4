/**
 * Draws the watch view: the model in, one string per screen line out. Pure;
 * the terminal layer writes the lines and decides when to call again.
 *
 * @module
 */

import { clampScroll, type Layout, layout, listCapacity } from "./layout.ts";
import {
  countStates,
  selectedRow,
  visibleRows,
  type WatchModel,
} from "./model.ts";
import {
  detailLines,
  helpLines,
  type PaneContext,
  recentLines,
} from "./_panes.ts";
import { cellsOf, chooseColumns, rowLine, titleLine } from "./_table.ts";
import {
  formatDuration,
  line,
  type Segment,
  textWidth,
  utcTime,
} from "./_text.ts";
import { theme } from "./_theme.ts";

export { localTime, utcTime } from "./_text.ts";

/** The screen to draw on. */
export interface Screen {
  /** Columns; lines never take more. */
  width: number;
  /** Lines; render() returns exactly this many. */
  height: number;
  /** Whether to emit ANSI colour; off means no escape codes at all. */
  color: boolean;
  /** Local time now, in ms. */
  nowMs: number;
  /**
   * Shows a time of day in the changes pane and the detail.
   * @default utcTime (HH:MM:SS in UTC, so that output is reproducible)
   */
  formatTime?: (ms: number) => string;
}

/** The whole screen: exactly `height` lines, none wider than `width`. */
export function render(model: WatchModel, screen: Screen): string[] {
  const width = Math.max(0, Math.floor(screen.width));
  const height = Math.max(0, Math.floor(screen.height));
  const ctx: PaneContext = {
    width,
    nowMs: screen.nowMs,
    theme: theme(screen.color),
    formatTime: screen.formatTime ?? utcTime,
  };
  const parts = layout(height);

  const lines: string[] = [];
  if (parts.header) lines.push(headerLine(model, ctx));
  lines.push(...middle(model, parts, height, ctx));
  if (parts.footer) lines.push(footerLine(model, ctx));
  return lines;
}

/** Everything between header and footer, for the current mode. */
function middle(
  model: WatchModel,
  parts: Layout,
  height: number,
  ctx: PaneContext,
): string[] {
  const size = parts.columns + parts.body + parts.recent;
  switch (model.mode) {
    case "detail":
      return sized(detailLines(model, selectedRow(model), ctx), size);
    case "help":
      return sized(helpLines(ctx), size);
    default:
      return [
        ...sized(
          tableLines(model, parts, height, ctx),
          parts.columns + parts.body,
        ),
        ...sized(recentLines(model.recent, parts.recent, ctx), parts.recent),
      ];
  }
}

/** Exactly `count` lines: cut, or padded with empty lines. */
function sized(lines: string[], count: number): string[] {
  const out = lines.slice(0, count);
  while (out.length < count) out.push("");
  return out;
}

function tableLines(
  model: WatchModel,
  parts: Layout,
  height: number,
  ctx: PaneContext,
): string[] {
  const rows = visibleRows(model);
  const capacity = listCapacity(height, rows.length);
  const index = rows.findIndex((r) => r.name === model.selected);

  // Draw only the rows on screen: the cost stays flat with cluster size.
  const scroll = clampScroll(model.scroll, index, rows.length, capacity);
  const shown = rows.slice(scroll, scroll + capacity);
  const cells = cellsOf(shown, ctx.nowMs);
  const columns = chooseColumns(cells, ctx.width);

  const lines: string[] = [];
  if (parts.columns) lines.push(titleLine(columns, ctx.width, ctx.theme));
  if (shown.length === 0) lines.push(emptyLine(model, ctx));
  shown.forEach((row, i) => {
    const marks = {
      selected: row.name === model.selected,
      highlighted: ctx.nowMs < row.highlightUntilMs,
    };
    lines.push(rowLine(row, cells[i], columns, marks, ctx.width, ctx.theme));
  });

  const below = rows.length - scroll - shown.length;
  if (scroll > 0 || below > 0) lines.push(moreLine(scroll, below, ctx));
  return lines;
}

function emptyLine(model: WatchModel, ctx: PaneContext): string {
  let text = "  no members";
  if (model.lastSeq === undefined) {
    text = "  waiting for the agent's member list…";
  } else if (model.members.size > 0) {
    text = "  no members match; f and esc clear";
  }
  return line([{ text, paint: ctx.theme.dim }], ctx.width);
}

function moreLine(above: number, below: number, ctx: PaneContext): string {
  const parts: string[] = [];
  if (above > 0) parts.push(`↑ ${above} above`);
  if (below > 0) parts.push(`↓ ${below} more`);
  return line(
    [{ text: "   " + parts.join("  "), paint: ctx.theme.dim }],
    ctx.width,
  );
}

/** A piece of the header; the lowest `keep` goes first when space is short. */
interface HeaderPart {
  segments: Segment[];
  keep: number;
}

const SEPARATOR = " · ";

/**
 * "rads-node watch · node n1 · 5 members · 3 alive 1 suspect 1 dead 0 left
 * · watching 2m05s · connected", shortened part by part on narrow screens.
 * The connection status is the one part never dropped.
 */
function headerLine(model: WatchModel, ctx: PaneContext): string {
  const t = ctx.theme;
  const counts = countStates(model);
  const countPaint = (n: number, paint: (s: string) => string) =>
    n > 0 ? paint : undefined;
  const parts: HeaderPart[] = [
    { keep: 2, segments: [{ text: "rads-node watch", paint: t.bold }] },
    { keep: 5, segments: model.self ? [{ text: `node ${model.self}` }] : [] },
    { keep: 4, segments: [{ text: `${model.members.size} members` }] },
    {
      keep: 6,
      segments: [
        {
          text: `${counts.alive} alive`,
          paint: countPaint(counts.alive, t.state.alive),
        },
        {
          text: ` ${counts.suspect} suspect`,
          paint: countPaint(counts.suspect, t.state.suspect),
        },
        {
          text: ` ${counts.dead} dead`,
          paint: countPaint(counts.dead, t.state.dead),
        },
        { text: ` ${counts.left} left` },
      ],
    },
    {
      keep: 1,
      segments: [{
        text: `watching ${formatDuration(ctx.nowMs - model.startedAtMs)}`,
      }],
    },
    { keep: 9, segments: [connectionSegment(model, ctx)] },
    { keep: 3, segments: errorSegments(model, ctx) },
  ];
  return line(fitParts(parts, ctx.width), ctx.width);
}

/** Drops the least needed parts until the rest fit, then joins them. */
function fitParts(parts: HeaderPart[], width: number): Segment[] {
  let kept = parts.filter((p) => p.segments.length > 0);
  const widthOf = (ps: HeaderPart[]) =>
    ps.reduce(
      (n, p) => n + p.segments.reduce((m, s) => m + textWidth(s.text), 0),
      0,
    ) +
    SEPARATOR.length * Math.max(0, ps.length - 1);

  while (kept.length > 1 && widthOf(kept) > width) {
    const least = Math.min(...kept.map((p) => p.keep));
    kept = kept.filter((p) => p.keep !== least);
  }
  return kept.flatMap((p, i) =>
    i === 0 ? p.segments : [{ text: SEPARATOR }, ...p.segments]
  );
}

function connectionSegment(model: WatchModel, ctx: PaneContext): Segment {
  const t = ctx.theme;
  switch (model.connection) {
    case "connected":
      return { text: "connected", paint: t.ok };
    case "connecting":
      return {
        text: model.lastError ? "reconnecting…" : "connecting…",
        paint: t.warn,
      };
  }
  if (model.retryInMs === undefined) {
    return { text: "disconnected", paint: t.warn };
  }

  const leftMs = model.connectionSinceMs + model.retryInMs - ctx.nowMs;
  const when = leftMs > 0 ? `in ${Math.ceil(leftMs / 1000)}s` : "now";
  return { text: `disconnected, retrying ${when}`, paint: t.warn };
}

function errorSegments(model: WatchModel, ctx: PaneContext): Segment[] {
  if (model.connection === "connected" || !model.lastError) return [];
  return [{ text: model.lastError, paint: ctx.theme.dim }];
}

/** Key hints for the current mode. */
function footerLine(model: WatchModel, ctx: PaneContext): string {
  const t = ctx.theme;
  switch (model.mode) {
    case "search":
      return line([
        { text: "/ " },
        { text: model.search + "_", paint: t.bold },
        { text: "  enter keep  esc clear  ↑↓ select", paint: t.dim },
      ], ctx.width);
    case "detail":
      return hints("esc back  ↑↓ member  q quit  ? help", ctx);
    case "help":
      return hints("esc close  q quit", ctx);
  }

  const search = model.search ? `:${model.search}` : "";
  return hints(
    `q quit  ↑↓ select  enter details  s sort:${model.sort}  ` +
      `f filter:${model.filter ?? "all"}  / search${search}  ? help`,
    ctx,
  );
}

function hints(text: string, ctx: PaneContext): string {
  return line([{ text, paint: ctx.theme.dim }], ctx.width);
}
