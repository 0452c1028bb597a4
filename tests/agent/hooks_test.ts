/**
 * Event handlers run as real /bin/sh processes: the event arrives in the
 * environment, slow handlers are killed, and a flood is bounded.
 */

import assert from "node:assert/strict";
import { eventEnv, EventHooks } from "../../src/agent/hooks.ts";
import { EventHub } from "../../src/agent/events.ts";
import { Logger } from "../../src/agent/log.ts";
import type { MemberEvent, NodeEvent } from "../../src/core/mod.ts";

function memberEvent(
  name: string,
  state: MemberEvent["member"]["state"],
  from: MemberEvent["from"],
  by?: string,
): MemberEvent {
  return {
    type: "member",
    from,
    by,
    atMs: 0,
    member: {
      name,
      addr: "127.0.0.1:7950",
      incarnation: 42,
      state,
      stateChangedAtMs: 0,
      meta: { cpus: 2, memoryMiB: 512, tags: { zone: "a", role: "edge" } },
    },
  };
}

function hooksFor(commands: string[], opts: { timeoutMs?: number } = {}) {
  const lines: string[] = [];
  const log = new Logger("debug", (l) => lines.push(l));
  const hooks = new EventHooks({ commands, selfName: "n1", log, ...opts });
  return { hooks, lines };
}

const ENV_DUMP = 'echo "$RADS_EVENT|$RADS_MEMBER_NAME|$RADS_MEMBER_ADDR|' +
  "$RADS_MEMBER_STATE|$RADS_MEMBER_PREVIOUS_STATE|$RADS_MEMBER_INCARNATION|" +
  '$RADS_MEMBER_BY|$RADS_MEMBER_TAGS|$RADS_SELF_NAME" >> "$OUT"';

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rads-hooks-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("eventEnv() describes member events and skips the others", () => {
  assert.deepEqual(eventEnv(memberEvent("n3", "dead", "suspect", "n2"), "n1"), {
    RADS_EVENT: "member-dead",
    RADS_MEMBER_NAME: "n3",
    RADS_MEMBER_ADDR: "127.0.0.1:7950",
    RADS_MEMBER_STATE: "dead",
    RADS_MEMBER_PREVIOUS_STATE: "suspect",
    RADS_MEMBER_INCARNATION: "42",
    RADS_MEMBER_BY: "n2",
    RADS_MEMBER_TAGS: "zone=a,role=edge",
    RADS_SELF_NAME: "n1",
  });
  assert.equal(
    eventEnv(memberEvent("n3", "alive", null), "n1")
      ?.RADS_MEMBER_PREVIOUS_STATE,
    "none",
  );
  assert.equal(
    eventEnv({ type: "reaped", name: "n3", atMs: 0 }, "n1")?.RADS_EVENT,
    "member-reaped",
  );
  const joined: NodeEvent = {
    type: "joined",
    seeds: ["x:1"],
    attempt: 1,
    atMs: 0,
  };
  assert.equal(eventEnv(joined, "n1"), undefined);
});

Deno.test("EventHooks runs every command per event with the event in RADS_* variables", async () => {
  await withTemp(async (dir) => {
    const out = `${dir}/events.txt`;
    const { hooks } = hooksFor([
      `OUT=${out}; ${ENV_DUMP}`,
      `echo second >> ${out}`,
    ]);
    const hub = new EventHub();
    hooks.attach(hub);

    hub.publish(memberEvent("n3", "suspect", "alive", "n2"));
    await new Promise((r) => setTimeout(r, 50));
    hub.publish({ type: "reaped", name: "n4", atMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
    await hooks.close();
    hub.close();

    const lines = (await Deno.readTextFile(out)).trim().split("\n").sort();
    assert.deepEqual(
      lines,
      [
        "member-reaped|n4|||||||n1",
        "member-suspect|n3|127.0.0.1:7950|suspect|alive|42|n2|zone=a,role=edge|n1",
        "second",
        "second",
      ].sort(),
    );
    assert.deepEqual(hooks.stats(), {
      succeeded: 4,
      failed: 0,
      timedOut: 0,
      dropped: 0,
      running: 0,
      queued: 0,
    });
  });
});

Deno.test("EventHooks kills a handler past its timeout, with its children, and warns", async () => {
  await withTemp(async (dir) => {
    const pidFile = `${dir}/sleep.pid`;
    const { hooks, lines } = hooksFor([
      `echo still working >&2; sleep 30 & echo $! > ${pidFile}; wait; ` +
      `echo done > ${dir}/done`,
    ], { timeoutMs: 300 });

    const started = Date.now();
    hooks.handle(memberEvent("n3", "dead", "suspect"));
    await hooks.close(5000);
    assert.ok(Date.now() - started < 4000, "the handler was not killed");

    assert.equal(hooks.stats().timedOut, 1);
    const warn = lines.find((l) => l.includes("event handler timed out"));
    assert.ok(warn, lines.join("\n"));
    assert.match(warn, / warn /);
    assert.match(warn, /stderr="still working"/);
    assert.match(warn, /timeout_ms=300/);

    const sleepPid = (await Deno.readTextFile(pidFile)).trim();
    await assert.rejects(Deno.stat(`${dir}/done`));
    if (await exists("/proc/self")) {
      assert.ok(
        !(await exists(`/proc/${sleepPid}/cmdline`)) ||
          (await Deno.readTextFile(`/proc/${sleepPid}/stat`)).includes(") Z"),
        "the handler's child outlived it",
      );
    }
  });
});

Deno.test("EventHooks logs a failing handler at warn with its first stderr line", async () => {
  const { hooks, lines } = hooksFor([
    'echo "" >&2; echo "boom: no route" >&2; echo more >&2; exit 3',
  ]);
  hooks.handle(memberEvent("n3", "dead", "suspect"));
  await hooks.close();

  assert.equal(hooks.stats().failed, 1);
  const warn = lines.find((l) => l.includes("event handler failed"));
  assert.ok(warn, lines.join("\n"));
  assert.match(warn, / warn /);
  assert.match(warn, /event=member-dead node=n3/);
  assert.match(warn, /code=3/);
  assert.match(warn, /stderr="boom: no route"/);
});

Deno.test("EventHooks runs a bounded number at once and drops past a bounded queue", async () => {
  const lines: string[] = [];
  const hooks = new EventHooks({
    commands: ["sleep 0.3"],
    selfName: "n1",
    log: new Logger("info", (l) => lines.push(l)),
    maxRunning: 2,
    maxQueued: 3,
  });

  const started = Date.now();
  for (let i = 0; i < 10; i++) {
    hooks.handle(memberEvent(`m${i}`, "alive", null));
  }
  assert.ok(Date.now() - started < 500, "handle() waited for a handler");
  assert.deepEqual(hooks.stats(), {
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    dropped: 5,
    running: 2,
    queued: 3,
  });
  // One warning for the burst, not one per dropped event.
  const drops = lines.filter((l) => l.includes("queue full"));
  assert.equal(drops.length, 1, lines.join("\n"));
  assert.match(drops[0], / warn .*dropped_total=1/);

  await hooks.close();
  assert.equal(hooks.stats().succeeded, 5);
});

Deno.test("EventHooks ignores events once closed", async () => {
  const { hooks } = hooksFor(["true"]);
  await hooks.close();
  hooks.handle(memberEvent("n3", "alive", null));
  assert.equal(hooks.stats().queued + hooks.stats().running, 0);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
