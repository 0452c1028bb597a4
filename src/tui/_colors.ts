/**
 * The few ANSI styles the watch view uses, switched on or off as a whole.
 *
 * Why not picocolors: it reads FORCE_COLOR, TERM and CI from the process
 * environment as soon as it is imported, which under Deno needs
 * --allow-env even when colour is off, so every test of the view would
 * need that permission. The view takes `color` as an argument instead.
 *
 * @module
 */

import type { Paint } from "./_text.ts";

/** Styles the view applies; each is the identity when colour is off. */
export interface Colors {
  bold: Paint;
  dim: Paint;
  inverse: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  gray: Paint;
}

const plain: Paint = (text) => text;

/** Styles that emit escape codes when `enabled`, and none otherwise. */
export function createColors(enabled: boolean): Colors {
  const make = enabled ? style : () => plain;
  return {
    bold: make(1, 22),
    dim: make(2, 22),
    inverse: make(7, 27),
    red: make(31, 39),
    green: make(32, 39),
    yellow: make(33, 39),
    gray: make(90, 39),
  };
}

function style(open: number, close: number): Paint {
  const on = `\x1b[${open}m`;
  const off = `\x1b[${close}m`;

  // An inner style that closes with the same code would end ours too
  // early: open ours again right after each such close.
  return (text) => on + text.replaceAll(off, off + on) + off;
}
