import assert from "node:assert/strict";
import {
  applyLine,
  clusterSize,
  countStates,
  createModel,
  HIGHLIGHT_MS,
  RECENT_LIMIT,
  setConnection,
  visibleRows,
} from "../../src/tui/model.ts";
import {
  event,
  many,
  member,
  modelWith,
  reaped,
  snapshot,
  T0,
} from "./_helpers.ts";

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

Deno.test("createModel() starts connecting, with no members and the list shown", () => {
  const model = createModel(T0);

  assert.equal(model.connection, "connecting");
  assert.equal(model.members.size, 0);
  assert.equal(model.startedAtMs, T0);
  assert.equal(model.mode, "list");
  assert.equal(model.sort, "state");
  assert.equal(model.lastSeq, undefined);
});

Deno.test("a snapshot sets self, the members and their change times", () => {
  const model = createModel(T0);
  const changed = applyLine(
    model,
    snapshot(7, [member("n1"), member("n2", "suspect", 3, { by: "n1" })]),
    T0,
  );

  assert.equal(changed, true);
  assert.equal(model.self, "n1");
  assert.equal(model.lastSeq, 7);
  assert.equal(clusterSize(model), 2);
  const n2 = model.members.get("n2")!;
  assert.equal(n2.changedAtMs, T0 - 60_000);
  assert.equal(n2.how, "suspected by n1");
  assert.equal(n2.highlightUntilMs, 0, "the first snapshot highlights nothing");
  assert.equal(model.members.get("n1")!.how, "");
  assert.deepEqual(model.recent, []);
});

Deno.test("a member event after the snapshot changes the row, highlights it and records the change", () => {
  const model = modelWith([member("n1"), member("n3")]);
  applyLine(model, event(11, "alive", member("n3", "suspect", 1), "n2"), T0);

  const n3 = model.members.get("n3")!;
  assert.equal(n3.state, "suspect");
  assert.equal(n3.how, "suspected by n2");
  assert.equal(n3.changedAtMs, T0);
  assert.equal(n3.highlightUntilMs, T0 + HIGHLIGHT_MS);
  assert.equal(n3.lastSeq, 11);
  assert.equal(model.lastSeq, 11);
  assert.deepEqual(model.recent[0], {
    atMs: T0,
    name: "n3",
    from: "alive",
    to: "suspect",
    by: "n2",
    addr: "10.0.0.3:7946",
    incarnation: 1,
    note: "by n2",
  });
});

Deno.test("each transition gets a how text", () => {
  const model = modelWith([member("n1"), member("n3"), member("n4")]);
  const how = () => model.members.get("n3")!.how;

  applyLine(model, event(11, "alive", member("n3", "suspect", 1), "n2"), T0);
  assert.equal(how(), "suspected by n2");
  applyLine(model, event(12, "suspect", member("n3", "alive", 5)), T0);
  assert.equal(how(), "refuted (inc 5)");
  applyLine(model, event(13, "alive", member("n3", "dead", 5), "n4"), T0);
  assert.equal(how(), "declared dead by n4");
  applyLine(model, event(14, "dead", member("n3", "alive", 6)), T0);
  assert.equal(how(), "refuted (inc 6)");
  applyLine(model, event(15, "alive", member("n3", "left", 6)), T0);
  assert.equal(how(), "left");
  applyLine(model, event(16, "left", member("n3", "alive", 7)), T0);
  assert.equal(how(), "rejoined (inc 7)");

  const moved = member("n4", "alive", 2, { addr: "10.0.1.4:7946" });
  applyLine(model, event(17, "alive", moved), T0);
  assert.equal(model.members.get("n4")!.how, "restarted at new address");
  assert.equal(model.recent[0].note, "restarted at 10.0.1.4:7946");
});

Deno.test("a metadata update while alive changes the row without a change entry", () => {
  const model = modelWith([member("n1"), member("n2")]);
  const tagged = member("n2", "alive", 2, { tags: { role: "edge" } });
  applyLine(model, event(11, "alive", tagged), T0 + 5000);

  const n2 = model.members.get("n2")!;
  assert.deepEqual(n2.tags, { role: "edge" });
  assert.equal(n2.incarnation, 2);
  assert.equal(n2.changedAtMs, T0 - 60_000);
  assert.equal(n2.highlightUntilMs, 0);
  assert.equal(model.recent.length, 0);
});

Deno.test("duplicate events are ignored", () => {
  const model = modelWith([member("n1"), member("n3")]);
  const line = event(11, "alive", member("n3", "suspect", 1), "n2");
  applyLine(model, line, T0);

  assert.equal(applyLine(model, line, T0 + 100), false);
  assert.equal(model.recent.length, 1);
  assert.equal(model.members.get("n3")!.changedAtMs, T0);

  // A seq at or below the snapshot's is already part of it.
  const old = event(10, "alive", member("n3", "dead", 1));
  assert.equal(applyLine(model, old, T0), false);
  assert.equal(model.members.get("n3")!.state, "suspect");
});

Deno.test("an older incarnation after a newer one does not move the member back", () => {
  const model = modelWith([member("n1"), member("n3", "alive", 4)]);
  applyLine(model, event(11, "alive", member("n3", "suspect", 4), "n2"), T0);
  applyLine(model, event(12, "suspect", member("n3", "alive", 5)), T0);
  const late = event(13, "alive", member("n3", "suspect", 4), "n6");
  assert.equal(applyLine(model, late, T0), false);

  const n3 = model.members.get("n3")!;
  assert.equal(n3.state, "alive");
  assert.equal(n3.incarnation, 5);
  assert.equal(n3.how, "refuted (inc 5)");
  assert.equal(model.recent.length, 2);
});

Deno.test("at an equal incarnation a lower state does not replace a higher one", () => {
  const model = modelWith([member("n1"), member("n3", "dead", 2)]);
  applyLine(model, event(11, "alive", member("n3", "suspect", 2)), T0);
  assert.equal(model.members.get("n3")!.state, "dead");

  applyLine(model, event(12, "dead", member("n3", "left", 2)), T0);
  assert.equal(model.members.get("n3")!.state, "left");
});

Deno.test("an event for an unknown member adds it as joined", () => {
  const model = modelWith([member("n1")]);
  applyLine(model, event(11, null, member("n7")), T0);

  const n7 = model.members.get("n7")!;
  assert.equal(n7.state, "alive");
  assert.equal(n7.how, "joined");
  assert.equal(n7.highlightUntilMs, T0 + HIGHLIGHT_MS);
  assert.equal(model.recent[0].from, null);
  assert.equal(model.recent[0].note, "joined at 10.0.0.7:7946");
});

Deno.test("a reaped line removes the member and records it as forgotten", () => {
  const model = modelWith([member("n1"), member("n4", "dead", 2)]);
  assert.equal(applyLine(model, reaped(11, "n4"), T0), true);

  assert.equal(model.members.has("n4"), false);
  assert.equal(model.recent[0].to, "forgotten");
  assert.equal(model.recent[0].from, "dead");
  assert.equal(applyLine(model, reaped(12, "n9"), T0), false);
});

Deno.test("a new snapshot from a restarted agent resets the seq and keeps recent changes", () => {
  const model = modelWith([member("n1"), member("n2"), member("n3")], 40);
  applyLine(model, event(41, "alive", member("n3", "suspect", 1), "n2"), T0);
  setConnection(model, "disconnected", T0, { retryInMs: 500, error: "gone" });

  applyLine(
    model,
    snapshot(2, [member("n1", "alive", 2), member("n3", "dead", 1)]),
    T0 + 1000,
  );
  assert.equal(model.lastSeq, 2);
  assert.deepEqual(names([...model.members.values()]), ["n1", "n3"]);

  // Events of the new run have low seqs and must not be taken as duplicates.
  applyLine(model, event(3, "alive", member("n1", "suspect", 2), "n3"), T0);
  assert.equal(model.members.get("n1")!.state, "suspect");

  // What changed while we were away shows up as changes.
  const seen = model.recent.map((c) => `${c.name} ${c.from}>${c.to}`);
  assert.deepEqual(seen, [
    "n1 alive>suspect",
    "n2 alive>forgotten",
    "n3 suspect>dead",
    "n3 alive>suspect",
  ]);
});

Deno.test("malformed and unknown lines are ignored without throwing", () => {
  const model = modelWith([member("n1"), member("n2")]);
  const before = structuredClone([...model.members.values()]);
  const bad: unknown[] = [
    null,
    undefined,
    42,
    "snapshot",
    [],
    {},
    { type: "heartbeat" },
    { type: "joined", seq: 50 },
    { type: "member", seq: "11", member: member("n2", "dead") },
    { type: "member", seq: 11 },
    { type: "member", seq: 11, member: { name: "n2", state: "dead" } },
    { type: "member", seq: 11, member: { ...member("n2"), state: "gone" } },
    { type: "member", seq: 11, member: { ...member("n2"), incarnation: -1 } },
    { type: "member", seq: 11, member: { ...member("n2"), tags: { a: 1 } } },
    { type: "member", seq: 11, from: "nowhere", member: member("n2") },
    { type: "member", seq: -3, member: member("n2", "dead") },
    { type: "reaped", seq: 11 },
    { type: "reaped", seq: 11, name: 2 },
    { type: "snapshot", seq: 11, members: "n1" },
    { type: "snapshot", members: [] },
  ];

  for (const line of bad) {
    assert.equal(applyLine(model, line, T0), false, JSON.stringify(line));
  }
  assert.deepEqual([...model.members.values()], before);
  assert.equal(model.lastSeq, 10);
});

Deno.test("a snapshot skips its malformed members and keeps the rest", () => {
  const model = createModel(T0);
  applyLine(model, snapshot(1, [member("n1"), { name: "bad" } as never]), T0);
  assert.deepEqual([...model.members.keys()], ["n1"]);
});

Deno.test("recent changes are capped, newest first", () => {
  const model = modelWith([member("n1"), member("n2")]);
  for (let i = 0; i < RECENT_LIMIT + 20; i++) {
    const state = i % 2 === 0 ? "suspect" : "alive";
    applyLine(model, event(11 + i, null, member("n2", state, i + 2)), T0 + i);
  }
  assert.equal(model.recent.length, RECENT_LIMIT);
  assert.equal(model.recent[0].atMs, T0 + RECENT_LIMIT + 19);
});

Deno.test("setConnection() records the retry delay and clears the error once connected", () => {
  const model = createModel(T0);
  setConnection(model, "disconnected", T0 + 5, {
    retryInMs: 2000,
    error: "refused",
  });
  assert.equal(model.connection, "disconnected");
  assert.equal(model.retryInMs, 2000);
  assert.equal(model.connectionSinceMs, T0 + 5);
  assert.equal(model.lastError, "refused");

  setConnection(model, "connecting", T0 + 2005);
  assert.equal(model.retryInMs, undefined);
  assert.equal(model.lastError, "refused");

  setConnection(model, "connected", T0 + 2010);
  assert.equal(model.lastError, undefined);
});

Deno.test("countStates() counts every member by state", () => {
  const model = modelWith([
    member("n1"),
    member("n2"),
    member("n3", "suspect"),
    member("n4", "dead"),
    member("n5", "left"),
  ]);
  assert.deepEqual(countStates(model), {
    alive: 2,
    suspect: 1,
    dead: 1,
    left: 1,
  });
});

Deno.test("the state sort puts suspect, dead, alive, left in that order, then names numerically", () => {
  const model = modelWith([
    member("n10"),
    member("n2"),
    member("n3", "left"),
    member("n4", "dead"),
    member("n5", "suspect"),
  ]);
  assert.deepEqual(names(visibleRows(model)), ["n5", "n4", "n2", "n10", "n3"]);
});

Deno.test("the name sort orders by name alone", () => {
  const model = modelWith([member("n10"), member("n2", "dead"), member("n1")]);
  model.sort = "name";
  assert.deepEqual(names(visibleRows(model)), ["n1", "n2", "n10"]);
});

Deno.test("the change sort puts the most recent change first", () => {
  const model = modelWith(many(4));
  applyLine(model, event(11, "alive", member("n2", "suspect")), T0 + 1000);
  applyLine(model, event(12, "alive", member("n4", "suspect")), T0 + 2000);
  model.sort = "change";
  assert.deepEqual(names(visibleRows(model)), ["n4", "n2", "n1", "n3"]);
});

Deno.test("the filter shows one state only", () => {
  const model = modelWith([
    member("n1"),
    member("n2", "dead"),
    member("n3", "dead"),
  ]);
  model.filter = "dead";
  assert.deepEqual(names(visibleRows(model)), ["n2", "n3"]);
});

Deno.test("search matches name, address and tags, ignoring case", () => {
  const model = modelWith([
    member("web-1", "alive", 1, { addr: "10.1.0.1:7946", tags: {} }),
    member("DB-1", "alive", 1, { addr: "10.2.0.1:7946", tags: {} }),
    member("cache", "alive", 1, {
      addr: "10.3.0.1:7946",
      tags: { Zone: "EU-west" },
    }),
  ]);
  const search = (q: string) => {
    model.search = q;
    return names(visibleRows(model));
  };

  assert.deepEqual(search("db"), ["DB-1"]);
  assert.deepEqual(search("10.1."), ["web-1"]);
  assert.deepEqual(search("eu-WEST"), ["cache"]);
  assert.deepEqual(search("zone"), ["cache"]);
  assert.deepEqual(search("zone=eu"), ["cache"]);
  assert.deepEqual(search("nothing"), []);
});
