import assert from "node:assert/strict";
import { Logger } from "../../src/agent/log.ts";

const AT = Date.parse("2026-12-04T13:02:14.201Z");

function capture(format?: "text" | "json") {
  const lines: string[] = [];
  const log = new Logger("info", (l) => lines.push(l), () => AT, format);
  return { log, lines };
}

Deno.test("Logger writes text lines with a timestamp by default", () => {
  const { log, lines } = capture();
  log.info("member state changed", { node: "n3", by: undefined, n: 4 });
  assert.deepEqual(lines, [
    "2026-12-04T13:02:14.201Z info  member state changed node=n3 n=4",
  ]);
});

Deno.test("Logger in json format writes one object per line with ts, level and msg", () => {
  const { log, lines } = capture("json");
  log.warn("event handler failed", {
    node: "n3",
    code: 2,
    ok: false,
    by: undefined,
    stderr: 'say "hi"\nthere',
  });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0].includes("\n"));
  assert.deepEqual(JSON.parse(lines[0]), {
    ts: "2026-12-04T13:02:14.201Z",
    level: "warn",
    msg: "event handler failed",
    node: "n3",
    code: 2,
    ok: false,
    stderr: 'say "hi"\nthere',
  });
  assert.ok(lines[0].startsWith('{"ts":'), "ts comes first");
});

Deno.test("Logger in json format keeps ts, level and msg from being replaced", () => {
  const { log, lines } = capture("json");
  log.info("hello", { msg: "other", level: "x", toString: "y" });
  assert.deepEqual(JSON.parse(lines[0]), {
    ts: "2026-12-04T13:02:14.201Z",
    level: "info",
    msg: "hello",
    _msg: "other",
    _level: "x",
    toString: "y",
  });
});

Deno.test("Logger in json format still drops lines below its level", () => {
  const { log, lines } = capture("json");
  log.debug("datagram received", { bytes: 10 });
  assert.deepEqual(lines, []);
});
