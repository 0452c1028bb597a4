/**
 * The thin terminal layer of the watch view: raw keys in, repainted frames
 * out. Everything shown comes from the pure model and view in src/tui.
 *
 * @module
 */

import process from "node:process";
import readline from "node:readline";
import {
  applyLine,
  createModel,
  setConnection,
  visibleRows,
} from "../tui/model.ts";
import { handleKey } from "../tui/keys.ts";
import { localTime, render } from "../tui/view.ts";
import type { FollowHandlers } from "./_follow.ts";
import { Painter } from "./_painter.ts";

/** Extra keys a caller (the demo) handles, with a hint line. */
export interface ScreenActions {
  hints: string;
  /** Returns a status message to show, or undefined if not its key. */
  onKey: (key: string, selected: string | undefined) => string | undefined;
}

/** What the screen shows and where its lines come from. */
export interface ScreenOptions {
  title: string;
  color: boolean;
  /** Feeds stream lines and connection status until `signal` aborts. */
  start: (feed: FollowHandlers, signal: AbortSignal) => Promise<void>;
  actions?: ScreenActions;
  /** Terminal streams; process.stdout and process.stdin by default. */
  io?: { out: ScreenOut; input: NodeJS.ReadStream };
  /** Ends the view as if the user quit (benchmarks, tests). */
  until?: AbortSignal;
  /** Called after every repaint (benchmarks count frames). */
  onPaint?: () => void;
}

/** What the screen needs of its output stream. */
export type ScreenOut = Pick<
  NodeJS.WriteStream,
  "write" | "columns" | "rows" | "on" | "off" | "isTTY"
>;

/** Fastest repaint: ten frames a second while things change. */
const FRAME_MS = 100;
/** Repaint at least this often, so "since" columns and highlights age. */
const IDLE_FRAME_MS = 1000;
const STATUS_MS = 4000;

/** Runs the full-screen view until the user quits; returns the exit code. */
export async function runScreen(o: ScreenOptions): Promise<number> {
  const out = o.io?.out ?? process.stdout;
  const model = createModel(Date.now());
  const abort = new AbortController();
  let dirty = true;
  let lastPaint = 0;
  let status: { text: string; untilMs: number } | undefined;

  // The caller's key hints take the last row.
  const viewHeight = () => Math.max(3, (out.rows ?? 24) - (o.actions ? 1 : 0));
  const paint = () => {
    const now = Date.now();
    const lines = render(model, {
      width: Math.max(10, out.columns ?? 80),
      height: viewHeight(),
      color: o.color,
      nowMs: now,
      formatTime: localTime,
    });
    if (o.actions) {
      // Cut to the width: a wrapped line would scroll the screen.
      const width = Math.max(10, out.columns ?? 80);
      const line = actionLine(o.actions.hints, status, now);
      lines.push(line.length > width ? line.slice(0, width - 1) + "…" : line);
    }
    painter.paint(lines);
    dirty = false;
    lastPaint = now;
    o.onPaint?.();
  };

  const painter = new Painter(out);
  painter.open();
  const input = o.io?.input ?? process.stdin;
  // An interface with a short escape timeout makes a lone Escape arrive at
  // once; without one, readline holds it until the next key.
  const rl = readline.createInterface({
    input,
    escapeCodeTimeout: 50,
    terminal: true,
  });
  readline.emitKeypressEvents(input, rl);
  if (input.isTTY) input.setRawMode(true);

  const done = new Promise<void>((resolve) => {
    const onKey = (seq: string | undefined, key: KeyPress | undefined) => {
      const k = normalizeKey(seq, key);
      if (handleKey(model, k, viewHeight()) === "quit") return resolve();
      // Act only on a selection the user can see (not one a filter hides).
      const shown = visibleRows(model).some((r) => r.name === model.selected);
      const msg = model.mode === "list" || model.mode === "detail"
        ? o.actions?.onKey(k.sequence ?? "", shown ? model.selected : undefined)
        : undefined;
      if (msg) status = { text: msg, untilMs: Date.now() + STATUS_MS };
      dirty = true;
      paint();
    };
    input.on("keypress", onKey);
    process.once("SIGTERM", () => resolve());
    o.until?.addEventListener("abort", () => resolve(), { once: true });
    abort.signal.addEventListener("abort", () => {
      input.off("keypress", onKey);
    });
  });

  const onResize = () => {
    painter.invalidate();
    paint();
  };
  out.on("resize", onResize);
  const ticker = setInterval(() => {
    if (dirty || Date.now() - lastPaint >= IDLE_FRAME_MS) paint();
  }, FRAME_MS);

  const feeding = o.start({
    onLine: (line) => {
      applyLine(model, line, Date.now());
      dirty = true;
    },
    onStatus: (s) => {
      setConnection(
        model,
        s.status,
        Date.now(),
        s.status === "disconnected"
          ? { retryInMs: s.retryInMs, error: s.error }
          : undefined,
      );
      dirty = true;
    },
  }, abort.signal);

  try {
    paint();
    await done;
  } finally {
    abort.abort();
    clearInterval(ticker);
    out.off("resize", onResize);
    painter.close();
    if (input.isTTY) input.setRawMode(false);
    rl.close();
    input.pause();
  }
  await feeding.catch(() => {});
  return 0;
}

interface KeyPress {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * node:readline names Enter "return" and reports a lone Escape as
 * meta+escape; the key map wants "enter" and a plain "escape".
 */
function normalizeKey(seq: string | undefined, key: KeyPress | undefined) {
  const k: KeyPress = { ...key, sequence: key?.sequence ?? seq };
  if (k.name === "return") k.name = "enter";
  if (k.name === "escape") k.meta = false;
  return k;
}

function actionLine(
  hints: string,
  status: { text: string; untilMs: number } | undefined,
  nowMs: number,
): string {
  const note = status && nowMs < status.untilMs ? `  ·  ${status.text}` : "";
  return ` ${hints}${note}`;
}
