import assert from "node:assert/strict";
import { formatTable, printable } from "../../src/cli/members.ts";
import { catchUp } from "../../src/cli/watch.ts";

Deno.test("formatTable() shows control characters from other members as ?", () => {
  const table = formatTable([{
    name: "e\x1b[2J1",
    addr: "127.0.0.1:1",
    state: "alive",
    incarnation: 1,
    tags: { k: "\x1b]0;PWNED\x07" },
    cpus: 1,
    memoryMiB: 1,
    since: new Date(0).toISOString(),
  }]);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(table, /\x1b|\x07/);
  assert.match(table, /e\?\[2J1/);
  assert.equal(printable("ok\x9b"), "ok?");
});

Deno.test("catchUp() reports changes missed while watch was disconnected", () => {
  const known = new Map<string, string>();
  const snap = (states: Record<string, string>) => ({
    type: "snapshot",
    members: Object.entries(states).map(([name, state]) => ({
      name,
      state,
      addr: "127.0.0.1:1",
      incarnation: 1,
    })),
  });

  assert.deepEqual(catchUp(snap({ a: "alive", b: "alive" }), known, false), []);
  const lines = catchUp(
    snap({ a: "alive", b: "dead", c: "alive" }),
    known,
    true,
  );
  assert.equal(lines.length, 2);
  assert.match(lines[0], / b ALIVE -> DEAD .*after reconnecting/);
  assert.match(lines[1], / c NONE -> ALIVE /);
});
