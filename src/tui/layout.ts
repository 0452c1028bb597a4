/**
 * How the screen's height is shared between header, member table, recent
 * changes and footer. Shared by the view (to draw) and the keys (to page and
 * keep the selection in view), so that both agree on what is visible.
 *
 * @module
 */

/** Lines given to each part of the screen; they add up to the height. */
export interface Layout {
  /** Status line at the top: 0 or 1. */
  header: number;
  /** Column titles of the member table: 0 or 1. */
  columns: number;
  /** Table body, including the "↓ 12 more" line when there is one. */
  body: number;
  /** "Recent changes" pane with its title line; 0 on small screens. */
  recent: number;
  /** Key hints at the bottom: 0 or 1. */
  footer: number;
}

/** Below this height the recent changes pane is left out. */
const RECENT_MIN_HEIGHT = 10;

/** Splits `height` lines between the parts, dropping the least useful first. */
export function layout(height: number): Layout {
  const h = Math.max(0, Math.floor(height));

  // The header carries the counts and the connection: the last to go.
  // Then the table, the footer and, with room to spare, a third for changes.
  const header = h >= 1 ? 1 : 0;
  const columns = h >= 3 ? 1 : 0;
  const footer = h >= 4 ? 1 : 0;
  const recent = h >= RECENT_MIN_HEIGHT ? Math.max(3, Math.floor(h / 3)) : 0;

  const body = h - header - columns - footer - recent;
  return { header, columns, body, recent, footer };
}

/** How many members the table shows at once, out of `total`. */
export function listCapacity(height: number, total: number): number {
  const { body } = layout(height);

  // One line goes to the "↓ 12 more" indicator when not all rows fit.
  if (total > body && body >= 2) return body - 1;
  return body;
}

/**
 * The first row to show: `scroll` moved just enough to show row `index`
 * (-1 for none), and kept within the list.
 */
export function clampScroll(
  scroll: number,
  index: number,
  total: number,
  capacity: number,
): number {
  let s = scroll;
  if (index >= 0 && capacity > 0) {
    if (index < s) s = index;
    if (index >= s + capacity) s = index - capacity + 1;
  }
  return Math.max(0, Math.min(s, total - capacity));
}
