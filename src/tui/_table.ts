/**
 * The member table: which columns fit the width, how wide each one is, and
 * one line per row.
 *
 * @module
 */

import type { Row } from "./model.ts";
import type { Theme } from "./_theme.ts";
import {
  fit,
  formatDuration,
  formatResources,
  line,
  sanitize,
  type Segment,
  textWidth,
  truncate,
} from "./_text.ts";

/** The table's columns, in the order they appear. */
export type ColumnId =
  | "name"
  | "address"
  | "state"
  | "inc"
  | "since"
  | "resources"
  | "tags"
  | "how";

interface ColumnSpec {
  id: ColumnId;
  title: string;
  /** Narrowest useful width; the column is dropped rather than narrower. */
  min: number;
  /** Widest it grows; longer text is cut with "…". */
  max: number;
  right?: boolean;
  text: (row: Row, nowMs: number) => string;
}

const SPECS: readonly ColumnSpec[] = [
  { id: "name", title: "NAME", min: 8, max: 24, text: (r) => r.name },
  { id: "address", title: "ADDRESS", min: 12, max: 28, text: (r) => r.addr },
  {
    id: "state",
    title: "STATE",
    min: 7,
    max: 7,
    text: (r) => r.state.toUpperCase(),
  },
  {
    id: "inc",
    title: "INC",
    min: 3,
    max: 10,
    right: true,
    text: (r) => String(r.incarnation),
  },
  {
    id: "since",
    title: "SINCE",
    min: 5,
    max: 6,
    right: true,
    text: (r, nowMs) => formatDuration(nowMs - r.changedAtMs),
  },
  {
    id: "resources",
    title: "RESOURCES",
    min: 9,
    max: 16,
    text: (r) => formatResources(r.cpus, r.memoryMiB),
  },
  { id: "tags", title: "TAGS", min: 8, max: 40, text: (r) => tagText(r) },
  { id: "how", title: "HOW", min: 10, max: 40, text: (r) => r.how },
];

/** On narrow screens, columns go in this order; NAME and STATE stay. */
export const DROP_ORDER: readonly ColumnId[] = [
  "how",
  "tags",
  "resources",
  "inc",
  "since",
  "address",
];

/** Selection and highlight markers, then a space. */
const GUTTER = 3;
const GAP = "  ";

/** A column chosen for this frame, with its width. */
export interface Column {
  spec: ColumnSpec;
  width: number;
}

/** Cell texts of the rows on screen, computed once per frame. */
export type Cells = string[][];

/** The cell texts of each row, control characters replaced. */
export function cellsOf(rows: Row[], nowMs: number): Cells {
  return rows.map((row) => SPECS.map((s) => sanitize(s.text(row, nowMs))));
}

/**
 * Picks the columns that fit `width` and sizes them to the rows on screen:
 * drop columns in DROP_ORDER until the narrowest widths fit, then widen
 * from left to right up to what the text needs.
 */
export function chooseColumns(cells: Cells, width: number): Column[] {
  const natural = SPECS.map((spec, i) => {
    let w = textWidth(spec.title);
    for (const row of cells) w = Math.max(w, textWidth(row[i]));
    return Math.min(w, spec.max);
  });
  const min = SPECS.map((spec, i) => Math.min(spec.min, natural[i]));

  const kept = new Set(SPECS.keys());
  const total = () =>
    GUTTER + [...kept].reduce((n, i) => n + min[i] + GAP.length, -GAP.length);
  for (const id of DROP_ORDER) {
    if (total() <= width) break;
    kept.delete(SPECS.findIndex((s) => s.id === id));
  }

  let spare = width - total();
  return [...kept].map((i) => {
    const grow = Math.max(0, Math.min(spare, natural[i] - min[i]));
    spare -= grow;
    return { spec: SPECS[i], width: min[i] + grow };
  });
}

/** The line of column titles. */
export function titleLine(columns: Column[], width: number, t: Theme): string {
  const text = " ".repeat(GUTTER) +
    columns.map((c) => fit(c.spec.title, c.width, c.spec.right)).join(GAP);
  return line([{ text: text.trimEnd(), paint: t.title }], width);
}

/** What makes a row stand out this frame. */
export interface RowMarks {
  selected: boolean;
  highlighted: boolean;
}

/** One table line for a row, given its cell texts. */
export function rowLine(
  row: Row,
  cells: string[],
  columns: Column[],
  marks: RowMarks,
  width: number,
  t: Theme,
): string {
  const segments: Segment[] = [
    { text: marks.selected ? "›" : " " },
    { text: marks.highlighted ? "*" : " ", paint: t.marker },
    { text: " " },
  ];
  columns.forEach((c, i) => {
    const index = SPECS.indexOf(c.spec);
    // The last column is not padded, so that lines carry no trailing blanks.
    const last = i === columns.length - 1 && !c.spec.right;
    const text = last
      ? truncate(cells[index], c.width)
      : fit(cells[index], c.width, c.spec.right);
    const paint = c.spec.id === "state" ? t.state[row.state] : undefined;
    if (last && text === "") return;
    if (i > 0) segments.push({ text: GAP });
    segments.push({ text, paint });
  });

  // Inverse spans the whole line so the selection reads at a glance.
  const rowPaint = marks.selected ? t.selected : undefined;
  const paint = marks.highlighted ? t.highlight : undefined;
  return line(segments, width, {
    fill: marks.selected && t.enabled,
    paint: rowPaint && paint ? (s) => rowPaint(paint(s)) : rowPaint ?? paint,
  });
}

function tagText(row: Row): string {
  return Object.entries(row.tags).map(([k, v]) => `${k}=${v}`).join(",");
}
