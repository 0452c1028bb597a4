/**
 * The panes besides the member table: recent changes, the detail of one
 * member and the help. Each returns its lines; the view cuts them to fit.
 *
 * @module
 */

import type { Change, Row, WatchModel } from "./model.ts";
import type { Theme } from "./_theme.ts";
import {
  fit,
  formatDuration,
  formatMemory,
  line,
  sanitize,
  type Segment,
  textWidth,
} from "./_text.ts";

/** What the panes need from the screen. */
export interface PaneContext {
  width: number;
  nowMs: number;
  theme: Theme;
  formatTime: (ms: number) => string;
}

/** Widest name column in the changes pane. */
const CHANGE_NAME_MAX = 20;
/** Width of the field names in the detail pane. */
const LABEL_WIDTH = 13;

/** A pane title drawn as a rule across the width: "── Title ─────". */
export function rule(title: string, ctx: PaneContext): string {
  const t = ctx.theme;
  const rest = ctx.width - 4 - textWidth(sanitize(title));
  return line([
    { text: "── ", paint: t.dim },
    { text: title, paint: t.title },
    { text: " " + "─".repeat(Math.max(0, rest)), paint: t.dim },
  ], ctx.width);
}

/** The "Recent changes" pane: a title and up to `count - 1` changes. */
export function recentLines(
  changes: Change[],
  count: number,
  ctx: PaneContext,
): string[] {
  if (count <= 0) return [];
  const shown = changes.slice(0, count - 1);
  const lines = [rule("Recent changes", ctx)];
  if (shown.length === 0) {
    lines.push(
      line([{ text: "  no changes yet", paint: ctx.theme.dim }], ctx.width),
    );
  }

  const nameWidth = Math.min(
    CHANGE_NAME_MAX,
    Math.max(0, ...shown.map((c) => textWidth(sanitize(c.name)))),
  );
  for (const c of shown) lines.push(changeLine(c, nameWidth, true, ctx));
  return lines;
}

/** "13:02:11  n3  alive → suspect  by n2"; without the name in the detail. */
function changeLine(
  c: Change,
  nameWidth: number,
  withName: boolean,
  ctx: PaneContext,
): string {
  const t = ctx.theme;
  const segments: Segment[] = [
    { text: ctx.formatTime(c.atMs), paint: t.dim },
    { text: "  " },
  ];
  if (withName) {
    segments.push({ text: fit(sanitize(c.name), nameWidth) + "  " });
  }
  segments.push(
    { text: c.from ?? "new", paint: c.from ? t.state[c.from] : t.dim },
    { text: " → " },
    { text: c.to, paint: t.state[c.to] },
  );
  if (c.note) segments.push({ text: "  " + c.note });
  return line(segments, ctx.width);
}

/** Every field of one member, then its own recent changes. */
export function detailLines(
  model: WatchModel,
  row: Row | undefined,
  ctx: PaneContext,
): string[] {
  if (!row) {
    const text = model.selected === undefined
      ? "  no member selected; press esc and pick one"
      : `  ${model.selected} is no longer known (forgotten by the agent)`;
    return [rule("Member", ctx), line([{ text }], ctx.width)];
  }

  const self = row.name === model.self ? " (this node)" : "";
  const lines = [rule(row.name + self, ctx)];
  for (const [label, value] of fields(row, ctx)) {
    lines.push(
      line([{ text: "  " + fit(label, LABEL_WIDTH) }, value], ctx.width),
    );
  }

  lines.push("", rule(`Changes of ${row.name}`, ctx));
  const own = model.recent.filter((c) => c.name === row.name);
  if (own.length === 0) {
    lines.push(
      line(
        [{ text: "  none seen since watching began", paint: ctx.theme.dim }],
        ctx.width,
      ),
    );
  }
  for (const c of own) lines.push(changeLine(c, 0, false, ctx));
  return lines;
}

function fields(row: Row, ctx: PaneContext): [string, Segment][] {
  const ago = formatDuration(ctx.nowMs - row.changedAtMs);
  const tags = Object.entries(row.tags).map(([k, v]) => `${k}=${v}`);
  const out: [string, Segment][] = [
    ["name", { text: row.name }],
    ["address", { text: row.addr }],
    ["state", {
      text: row.state.toUpperCase(),
      paint: ctx.theme.state[row.state],
    }],
    ["incarnation", { text: String(row.incarnation) }],
    ["since", { text: `${ago} ago, at ${ctx.formatTime(row.changedAtMs)}` }],
    ["how", { text: row.how || "-" }],
    ["by", { text: row.by ?? "-" }],
    ["cpus", { text: row.cpus > 0 ? String(row.cpus) : "unknown" }],
    ["memory", { text: memoryText(row.memoryMiB) }],
    ["tags", { text: tags[0] ?? "none" }],
  ];
  for (const tag of tags.slice(1)) out.push(["", { text: tag }]);
  return out;
}

function memoryText(memoryMiB: number): string {
  if (memoryMiB <= 0) return "unknown";
  return `${formatMemory(memoryMiB)} (${memoryMiB} MiB)`;
}

const KEYS: readonly [string, string][] = [
  ["q  ctrl-c", "quit"],
  ["↑ ↓  k j", "select a member"],
  ["pgup pgdn", "a page up or down"],
  ["home end  g G", "first or last member"],
  ["enter", "details of the selected member"],
  ["esc", "back to the list; in the list, clear the search"],
  ["s", "sort by state (problems first), name or last change"],
  ["f", "show all, alive, suspect, dead or left members"],
  ["/", "search names, addresses and tags"],
  ["?", "this help"],
];

const STATES: readonly [string, string][] = [
  ["ALIVE", "answers probes"],
  ["SUSPECT", "missed a probe; other members are checking"],
  ["DEAD", "confirmed dead; forgotten after a while"],
  ["LEFT", "left the cluster gracefully"],
  ["*", "changed in the last 3 seconds"],
];

/** The key list and what the states mean. */
export function helpLines(ctx: PaneContext): string[] {
  const entry = ([key, text]: [string, string]) =>
    line(
      [{ text: "  " + fit(key, 16), paint: ctx.theme.bold }, { text }],
      ctx.width,
    );
  return [
    rule("Keys", ctx),
    ...KEYS.map(entry),
    "",
    rule("States", ctx),
    ...STATES.map(entry),
  ];
}
