/**
 * What each part of the view looks like, with colour or without. Every
 * meaning shown in colour is also shown in text, so NO_COLOR loses nothing.
 *
 * @module
 */

import type { MemberState } from "../core/member.ts";
import { createColors } from "./_colors.ts";
import type { Paint } from "./_text.ts";

/** Paints by role rather than by colour. */
export interface Theme {
  enabled: boolean;
  state: Record<MemberState | "forgotten", Paint>;
  /** Column titles and pane titles. */
  title: Paint;
  /** Secondary text: hints, the "more" line, timestamps. */
  dim: Paint;
  /** The "*" marker of a row that just changed. */
  marker: Paint;
  /** A row that just changed. */
  highlight: Paint;
  /** The selected row. */
  selected: Paint;
  /** Connection trouble. */
  warn: Paint;
  ok: Paint;
  bold: Paint;
}

/** The theme for colour on or off. */
export function themeFor(color: boolean): Theme {
  const c = createColors(color);
  return {
    enabled: color,
    state: {
      alive: c.green,
      suspect: c.yellow,
      dead: c.red,
      left: c.gray,
      forgotten: c.gray,
    },
    title: c.bold,
    dim: c.dim,
    marker: c.yellow,
    highlight: c.bold,
    selected: c.inverse,
    warn: c.yellow,
    ok: c.green,
    bold: c.bold,
  };
}

const THEMES = { on: themeFor(true), off: themeFor(false) };

/** The shared theme for colour on or off. */
export function theme(color: boolean): Theme {
  return color ? THEMES.on : THEMES.off;
}
