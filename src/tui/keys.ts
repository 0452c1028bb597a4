/**
 * Key presses of the watch view. Each key changes the model in place; the
 * caller repaints afterwards.
 *
 * @module
 */

import { MEMBER_STATES, type MemberState } from "../core/member.ts";
import { clampScroll, listCapacity } from "./layout.ts";
import { type SortOrder, visibleRows, type WatchModel } from "./model.ts";

/** A key press, as node:readline's emitKeypressEvents describes it. */
export interface Key {
  /** "up", "down", "return", "escape", "a", ... */
  name?: string;
  /** The characters typed: "G", "?", "/", ... */
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

const SORTS: readonly SortOrder[] = ["state", "name", "change"];
const FILTERS: readonly (MemberState | undefined)[] = [
  undefined,
  ...MEMBER_STATES,
];

/**
 * Handles one key press. `screenRows` is the height given to render(), used
 * to page and to keep the selection in view. Returns "quit" to stop.
 */
export function handleKey(
  model: WatchModel,
  key: Key,
  screenRows: number,
): "quit" | undefined {
  if (key.ctrl && key.name === "c") return "quit";
  if (model.mode === "search") return onSearchKey(model, key, screenRows);
  if (key.ctrl || key.meta) return undefined;

  const id = keyId(key);
  if (model.mode === "help") return onHelpKey(model, id);
  return onListKey(model, id, screenRows);
}

/** Printable characters by what was typed (so "G" is not "g"), others by name. */
function keyId(key: Key): string {
  const seq = key.sequence;
  if (seq !== undefined && isPrintable(seq) && [...seq].length === 1) {
    return seq;
  }
  return key.name === "return" ? "enter" : key.name ?? seq ?? "";
}

function isPrintable(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return text !== "" && !/[\x00-\x1f\x7f-\x9f]/.test(text);
}

function onListKey(
  model: WatchModel,
  id: string,
  rows: number,
): "quit" | undefined {
  switch (id) {
    case "q":
      return "quit";
    case "up":
    case "k":
      return moveBy(model, -1, rows);
    case "down":
    case "j":
      return moveBy(model, 1, rows);
    case "pageup":
      return moveBy(model, -page(model, rows), rows);
    case "pagedown":
      return moveBy(model, page(model, rows), rows);
    case "home":
    case "g":
      return moveTo(model, 0, rows);
    case "end":
    case "G":
      return moveTo(model, Infinity, rows);
    case "enter":
      return toggleDetail(model, rows);
    case "escape":
      return back(model, rows);
    case "s":
      return cycleSort(model, rows);
    case "f":
      return cycleFilter(model, rows);
    case "/":
      // A new search starts from scratch, as in less and vim.
      model.search = "";
      model.mode = "search";
      return;
    case "?":
      model.mode = "help";
      return;
  }
}

function onHelpKey(model: WatchModel, id: string): "quit" | undefined {
  if (id === "q") return "quit";
  if (id === "?" || id === "escape" || id === "enter") model.mode = "list";
}

function onSearchKey(
  model: WatchModel,
  key: Key,
  rows: number,
): undefined {
  const name = key.name === "return" ? "enter" : key.name;
  if (name === "escape") model.search = "";
  if (name === "escape" || name === "enter") {
    model.mode = "list";
    return reconcile(model, rows);
  }
  if (name === "up" || name === "down") {
    return moveBy(model, name === "up" ? -1 : 1, rows);
  }

  if (name === "backspace") {
    model.search = [...model.search].slice(0, -1).join("");
  } else if (!key.ctrl && !key.meta && isPrintable(key.sequence ?? "")) {
    model.search += key.sequence;
  } else {
    return;
  }
  return reconcile(model, rows);
}

function moveBy(model: WatchModel, delta: number, rows: number): undefined {
  const list = visibleRows(model);
  const index = list.findIndex((r) => r.name === model.selected);

  // With nothing selected yet, the first press selects the top row.
  const target = index < 0 ? 0 : index + delta;
  return moveTo(model, target, rows);
}

function moveTo(model: WatchModel, target: number, rows: number): undefined {
  const list = visibleRows(model);
  if (list.length === 0) return;

  const index = Math.max(0, Math.min(list.length - 1, target));
  model.selected = list[index].name;
  keepInView(model, index, list.length, rows);
}

/** Rows moved by page up and page down: a table's worth, less one. */
function page(model: WatchModel, rows: number): number {
  const capacity = listCapacity(rows, visibleRows(model).length);
  return Math.max(1, capacity - 1);
}

function keepInView(
  model: WatchModel,
  index: number,
  total: number,
  rows: number,
): void {
  const capacity = listCapacity(rows, total);
  model.scroll = clampScroll(model.scroll, index, total, capacity);
}

function toggleDetail(model: WatchModel, rows: number): undefined {
  if (model.mode === "detail") {
    model.mode = "list";
    return;
  }

  // Enter with nothing selected opens the top row rather than nothing.
  const list = visibleRows(model);
  if (!list.some((r) => r.name === model.selected)) {
    if (list.length === 0) return;
    moveTo(model, model.scroll, rows);
  }
  model.mode = "detail";
}

function back(model: WatchModel, rows: number): undefined {
  if (model.mode !== "list") {
    model.mode = "list";
    return;
  }
  // Escape in the list undoes a search, the one thing it could mean there.
  if (model.search !== "") {
    model.search = "";
    reconcile(model, rows);
  }
}

function cycleSort(model: WatchModel, rows: number): undefined {
  model.sort = SORTS[(SORTS.indexOf(model.sort) + 1) % SORTS.length];
  return reconcile(model, rows);
}

function cycleFilter(model: WatchModel, rows: number): undefined {
  const next = (FILTERS.indexOf(model.filter) + 1) % FILTERS.length;
  model.filter = FILTERS[next];
  return reconcile(model, rows);
}

/**
 * After the list changed (filter, search, sort): keep the selection if it
 * is still listed, else select the top row (so a search selects its first
 * match), and bring it into view.
 */
function reconcile(model: WatchModel, rows: number): undefined {
  const list = visibleRows(model);
  let index = list.findIndex((r) => r.name === model.selected);
  if (index < 0 && list.length > 0) {
    index = 0;
    model.selected = list[0].name;
  }
  if (index < 0) model.scroll = 0;
  keepInView(model, index, list.length, rows);
}
