/**
 * The pure part of `rads-node watch`: a model fed by the control API's event
 * stream and by key presses, and a view that draws it as lines of text.
 *
 * ```ts
 * const model = createModel(Date.now());
 * applyLine(model, JSON.parse(streamLine), Date.now());
 * if (handleKey(model, key, rows) === "quit") stop();
 * write(render(model, { width, height: rows, color, nowMs: Date.now() }));
 * ```
 *
 * @module
 */

export * from "./model.ts";
export * from "./keys.ts";
export * from "./view.ts";
export { clampScroll, type Layout, layout, listCapacity } from "./layout.ts";
