/**
 * Text on a terminal grid: display width, truncation with "…", lines built
 * from coloured segments, and the short formats the view uses.
 *
 * @module
 */

import stringWidth from "string-width";

/** Wraps text in escape codes; the identity when colour is off. */
export type Paint = (text: string) => string;

/** A piece of a line with its own colour. */
export interface Segment {
  text: string;
  paint?: Paint;
}

const ELLIPSIS = "…";
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Replaces control characters, so that a name or tag sent by another node
 * can never move the cursor or colour the terminal.
 */
export function sanitize(text: string): string {
  return text.replace(CONTROL, "?");
}

/** Columns the text takes on a terminal. */
export function textWidth(text: string): number {
  // Nearly everything is plain ASCII; skip the grapheme walk for it.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  return stringWidth(text);
}

/** The text cut to at most `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  if (textWidth(text) <= width) return text;
  if (PRINTABLE_ASCII.test(text)) return text.slice(0, width - 1) + ELLIPSIS;

  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + ELLIPSIS;
}

/** The text cut or padded with spaces to exactly `width` columns. */
export function fit(text: string, width: number, alignRight = false): string {
  const cut = truncate(text, width);
  const gap = " ".repeat(Math.max(0, width - textWidth(cut)));
  return alignRight ? gap + cut : cut + gap;
}

/**
 * Joins segments into one line of at most `width` columns. Text is cut
 * before it is painted, so escape codes never count towards the width.
 * With `fill`, the line is padded to the full width (for inverse rows).
 */
export function line(
  segments: Segment[],
  width: number,
  options: { fill?: boolean; paint?: Paint } = {},
): string {
  let out = "";
  let left = Math.max(0, width);
  for (const seg of segments) {
    if (left === 0) break;
    const text = truncate(sanitize(seg.text), left);
    left -= textWidth(text);
    out += seg.paint && text.trim() !== "" ? seg.paint(text) : text;
  }

  if (options.fill) out += " ".repeat(left);
  return options.paint ? options.paint(out) : out;
}

/** A duration as the view shows it: "4s", "3m12s", "2h05m", "3d04h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;

  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${two(s % 60)}s`;

  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${two(m % 60)}m`;
  return `${Math.floor(h / 24)}d${two(h % 24)}h`;
}

/** A time of day in UTC as HH:MM:SS; the default, so that tests agree. */
export function utcTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:` +
    two(d.getUTCSeconds());
}

/** A time of day in the local time zone as HH:MM:SS. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** CPUs and memory: "2 cpu 23.5G"; "" when the node reported neither. */
export function formatResources(cpus: number, memoryMiB: number): string {
  const parts: string[] = [];
  if (cpus > 0) parts.push(`${cpus} cpu`);
  if (memoryMiB > 0) parts.push(formatMemory(memoryMiB));
  return parts.join(" ");
}

/** Memory from MiB: "512M", "23.5G", "1.5T". */
export function formatMemory(memoryMiB: number): string {
  if (memoryMiB < 1024) return `${Math.round(memoryMiB)}M`;
  const gib = memoryMiB / 1024;
  if (gib < 1024) return `${round1(gib)}G`;
  return `${round1(gib / 1024)}T`;
}

function round1(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}
