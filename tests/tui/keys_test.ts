import assert from "node:assert/strict";
import { handleKey, type Key } from "../../src/tui/keys.ts";
import { listCapacity } from "../../src/tui/layout.ts";
import {
  applyLine,
  createModel,
  visibleRows,
  type WatchModel,
} from "../../src/tui/model.ts";
import { many, member, modelWith } from "./_helpers.ts";

const ROWS = 20;

/** Presses keys given as readline would name them; "G" etc. as typed. */
function press(model: WatchModel, ...keys: (string | Key)[]) {
  let result: "quit" | undefined;
  for (const k of keys) {
    const key = typeof k === "string"
      ? (k.length === 1 ? { name: k.toLowerCase(), sequence: k } : { name: k })
      : k;
    result = handleKey(model, key, ROWS);
  }
  return result;
}

Deno.test("q and ctrl-c quit", () => {
  const model = modelWith(many(3));
  assert.equal(press(model, "q"), "quit");
  assert.equal(
    press(model, { name: "c", ctrl: true, sequence: "\x03" }),
    "quit",
  );
  assert.equal(press(model, "j"), undefined);
});

Deno.test("in search mode q is typed, and ctrl-c still quits", () => {
  const model = modelWith(many(3));
  press(model, "/");
  assert.equal(model.mode, "search");
  assert.equal(press(model, "q"), undefined);
  assert.equal(model.search, "q");
  assert.equal(press(model, { name: "c", ctrl: true }), "quit");
});

Deno.test("the first down selects the top row and selection stops at both ends", () => {
  const model = modelWith(many(3));
  press(model, "down");
  assert.equal(model.selected, "n1");
  press(model, "up", "up");
  assert.equal(model.selected, "n1");
  press(model, "j", "j", "j", "j");
  assert.equal(model.selected, "n3");
  press(model, "k");
  assert.equal(model.selected, "n2");
});

Deno.test("home, end, g and G jump to the first and last rows", () => {
  const model = modelWith(many(50));
  press(model, "G");
  assert.equal(model.selected, "n50");
  press(model, "g");
  assert.equal(model.selected, "n1");
  press(model, "end");
  assert.equal(model.selected, "n50");
  press(model, "home");
  assert.equal(model.selected, "n1");
});

Deno.test("page down and page up move by a page and keep the selection in view", () => {
  const model = modelWith(many(100));
  const capacity = listCapacity(ROWS, 100);
  press(model, "down", "pagedown");
  assert.equal(
    model.selected,
    `n${capacity}`,
    "a page is the capacity less one",
  );

  for (let i = 0; i < 20; i++) press(model, "pagedown");
  assert.equal(model.selected, "n100");
  assert.equal(model.scroll, 100 - capacity);

  press(model, "pageup");
  const index = visibleRows(model).findIndex((r) => r.name === model.selected);
  assert.ok(index >= model.scroll && index < model.scroll + capacity);
});

Deno.test("moving down past the screen scrolls just enough", () => {
  const model = modelWith(many(100));
  const capacity = listCapacity(ROWS, 100);
  press(model, "down");
  for (let i = 0; i < capacity; i++) press(model, "down");
  assert.equal(model.scroll, 1);
  press(model, "g");
  assert.equal(model.scroll, 0);
});

Deno.test("keys on an empty list do nothing and do not throw", () => {
  const model = modelWith([]);
  press(model, "down", "up", "pagedown", "G", "enter", "s", "f");
  assert.equal(model.selected, undefined);
  assert.equal(model.mode, "list");
});

Deno.test("enter toggles the detail of the selected member and escape closes it", () => {
  const model = modelWith(many(3));
  press(model, "down", "down", "enter");
  assert.equal(model.mode, "detail");
  assert.equal(model.selected, "n2");
  press(model, "enter");
  assert.equal(model.mode, "list");
  press(model, { name: "return", sequence: "\r" });
  assert.equal(model.mode, "detail");
  press(model, "escape");
  assert.equal(model.mode, "list");
});

Deno.test("enter with nothing selected opens the top row", () => {
  const model = modelWith(many(3));
  press(model, "enter");
  assert.equal(model.mode, "detail");
  assert.equal(model.selected, "n1");
});

Deno.test("? toggles the help and escape closes it", () => {
  const model = modelWith(many(3));
  press(model, "?");
  assert.equal(model.mode, "help");
  press(model, "j");
  assert.equal(model.selected, undefined, "help swallows other keys");
  press(model, "?");
  assert.equal(model.mode, "list");
  press(model, "?", "escape");
  assert.equal(model.mode, "list");
  press(model, "?");
  assert.equal(press(model, "q"), "quit");
});

Deno.test("s cycles the sort through state, name and change", () => {
  const model = modelWith(many(3));
  const seen = [model.sort];
  for (let i = 0; i < 3; i++) {
    press(model, "s");
    seen.push(model.sort);
  }
  assert.deepEqual(seen, ["state", "name", "change", "state"]);
});

Deno.test("f cycles the filter through all, alive, suspect, dead, left and back", () => {
  const model = modelWith(many(3));
  const seen = [model.filter];
  for (let i = 0; i < 5; i++) {
    press(model, "f");
    seen.push(model.filter);
  }
  assert.deepEqual(seen, [
    undefined,
    "alive",
    "suspect",
    "dead",
    "left",
    undefined,
  ]);
});

Deno.test("a filter that hides the selected member moves the selection to the top row", () => {
  const model = modelWith([
    member("n1"),
    member("n2", "suspect"),
    member("n3", "suspect"),
  ]);
  press(model, "G");
  assert.equal(model.selected, "n1");
  press(model, "f", "f");
  assert.equal(model.filter, "suspect");
  assert.equal(model.selected, "n2");
});

Deno.test("typing in search mode appends, backspace deletes, enter keeps, escape clears", () => {
  const model = modelWith([member("web-1"), member("web-2"), member("db-1")]);
  press(model, "/", "w", "e", "x");
  assert.equal(model.search, "wex");
  press(model, "backspace");
  assert.equal(model.search, "we");
  assert.deepEqual(visibleRows(model).map((r) => r.name), ["web-1", "web-2"]);

  press(model, "enter");
  assert.equal(model.mode, "list");
  assert.equal(model.search, "we");

  press(model, "/", "b", "escape");
  assert.equal(model.mode, "list");
  assert.equal(model.search, "");
});

Deno.test("search mode types letters that are keys elsewhere and ignores control keys", () => {
  const model = modelWith(many(3));
  press(model, "/", "s", "f", "?", "j", "G", "/");
  assert.equal(model.search, "sf?jG/");
  press(model, { name: "tab", sequence: "\t" }, {
    name: "a",
    ctrl: true,
    sequence: "\x01",
  });
  assert.equal(model.search, "sf?jG/");
  assert.equal(model.sort, "state");
});

Deno.test("escape in the list clears a search left in place", () => {
  const model = modelWith(many(3));
  press(model, "/", "2", "enter");
  assert.equal(model.search, "2");
  press(model, "escape");
  assert.equal(model.search, "");
});

Deno.test("handleKey() selects the first match of a search", () => {
  const model = createModel(0);
  applyLine(model, {
    type: "snapshot",
    seq: 1,
    self: "n1",
    members: ["n1", "n2", "n3"].map((name) => ({
      name,
      addr: `127.0.0.1:${name.slice(1)}`,
      state: "alive",
      incarnation: 1,
      tags: {},
      cpus: 1,
      memoryMiB: 1,
      since: new Date(0).toISOString(),
    })),
  }, 0);
  for (const sequence of ["/", "n", "3"]) {
    handleKey(model, { name: sequence, sequence }, 30);
  }
  handleKey(model, { name: "return", sequence: "\r" }, 30);
  assert.equal(model.selected, "n3");
});
