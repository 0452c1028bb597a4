import assert from "node:assert/strict";
import { handleKey } from "../../src/tui/keys.ts";
import {
  applyLine,
  type Mode,
  setConnection,
  type WatchModel,
} from "../../src/tui/model.ts";
import { render, type Screen } from "../../src/tui/view.ts";
import {
  event,
  many,
  member,
  modelWith,
  plain,
  T0,
  widthOf,
} from "./_helpers.ts";

const DROP_ORDER = ["HOW", "TAGS", "RESOURCES", "INC", "SINCE", "ADDRESS"];
const ALL_COLUMNS = [
  "NAME",
  "ADDRESS",
  "STATE",
  "INC",
  "SINCE",
  "RESOURCES",
  "TAGS",
  "HOW",
];

function draw(model: WatchModel, screen: Partial<Screen> = {}): string[] {
  return render(model, {
    width: 120,
    height: 30,
    color: false,
    nowMs: T0,
    ...screen,
  });
}

/** The table line of a member, found by its name cell. */
function rowOf(lines: string[], name: string): string | undefined {
  return lines.find((l) => plain(l).slice(3).startsWith(name + " "));
}

function fiveMembers(): WatchModel {
  return modelWith([
    member("n1"),
    member("n2"),
    member("n3", "suspect", 4, { by: "n2" }),
    member("n4", "dead", 2, { by: "n5" }),
    member("n5"),
  ]);
}

Deno.test("the header shows node, size, counts, watch time and connection", () => {
  const lines = draw(fiveMembers(), { width: 200 });
  assert.equal(
    lines[0],
    "rads-node watch · node n1 · 5 members · 3 alive 1 suspect 1 dead 0 left · watching 2m05s · connected",
  );
});

Deno.test("the header says when it is disconnected and when it retries", () => {
  const model = fiveMembers();
  setConnection(model, "disconnected", T0, {
    retryInMs: 2000,
    error: "refused",
  });
  const header = draw(model, { width: 200, nowMs: T0 + 300 })[0];
  assert.match(header, /disconnected, retrying in 2s · refused$/);

  // On a narrow screen the connection status is the part that stays.
  assert.equal(
    draw(model, { width: 30, nowMs: T0 + 300 })[0],
    "disconnected, retrying in 2s",
  );
  assert.match(
    draw(model, { width: 200, nowMs: T0 + 2500 })[0],
    /retrying now/,
  );
});

Deno.test("the header shows disconnection in the warning colour", () => {
  const model = fiveMembers();
  setConnection(model, "disconnected", T0, { retryInMs: 2000 });
  const header = draw(model, { width: 200, color: true })[0];
  assert.ok(header.includes("\x1b[33mdisconnected, retrying in 2s\x1b[39m"));
});

Deno.test("each state renders its label in capitals, and in its colour", () => {
  const model = modelWith([
    member("n1"),
    member("n2", "suspect"),
    member("n3", "dead"),
    member("n4", "left"),
  ]);
  const lines = draw(model);
  const colored = draw(model, { color: true });
  const expected = {
    n1: ["ALIVE", "\x1b[32mALIVE"],
    n2: ["SUSPECT", "\x1b[33mSUSPECT"],
    n3: ["DEAD", "\x1b[31mDEAD"],
    n4: ["LEFT", "\x1b[90mLEFT"],
  };
  for (const [name, [label, ansi]] of Object.entries(expected)) {
    assert.match(rowOf(lines, name)!, new RegExp(`\\b${label}\\b`));
    assert.ok(rowOf(colored, name)!.includes(ansi), name);
  }
});

Deno.test("the table has every column on a wide screen", () => {
  const lines = draw(fiveMembers(), { width: 160 });
  assert.deepEqual(lines[1].trim().split(/\s+/), ALL_COLUMNS);
  assert.match(
    rowOf(lines, "n3")!,
    /n3 +10\.0\.0\.3:7946 +SUSPECT +4 +1m00s +2 cpu 23\.5G +role=core +suspected by n2$/,
  );
});

Deno.test("a changed row is highlighted, then not after 3 s", () => {
  const model = fiveMembers();
  applyLine(model, event(11, "alive", member("n5", "suspect"), "n1"), T0);

  assert.ok(rowOf(draw(model, { nowMs: T0 + 2999 }), "n5")!.startsWith(" *"));
  assert.ok(rowOf(draw(model, { nowMs: T0 + 3000 }), "n5")!.startsWith("  "));
  const bold = rowOf(draw(model, { nowMs: T0 + 100, color: true }), "n5")!;
  assert.ok(bold.startsWith("\x1b[1m"));
});

Deno.test("the selected row is marked, and inverse with colour", () => {
  const model = fiveMembers();
  model.selected = "n2";
  assert.ok(rowOf(draw(model), "n2")!.startsWith("›"));
  assert.ok(rowOf(draw(model, { color: true }), "n2")!.startsWith("\x1b[7m"));
});

Deno.test("rows come in the model's sort order", () => {
  const model = fiveMembers();
  applyLine(
    model,
    event(11, "alive", member("n1", "suspect"), "n2"),
    T0 - 5000,
  );
  applyLine(model, event(12, "alive", member("n5", "left")), T0 - 1000);
  const order = () =>
    draw(model).slice(2, 7).map((l) => plain(l).slice(3).split(" ")[0]);

  assert.deepEqual(order(), ["n1", "n3", "n4", "n2", "n5"]);
  model.sort = "name";
  assert.deepEqual(order(), ["n1", "n2", "n3", "n4", "n5"]);
  model.sort = "change";
  assert.deepEqual(order(), ["n5", "n1", "n2", "n3", "n4"]);
});

Deno.test("filter and search limit the rows and show in the footer", () => {
  const model = fiveMembers();
  model.filter = "alive";
  let lines = draw(model);
  assert.deepEqual(
    ["n1", "n2", "n5"].map((n) => rowOf(lines, n) !== undefined),
    [true, true, true],
  );
  assert.equal(rowOf(lines, "n3"), undefined);
  assert.match(lines.at(-1)!, /f filter:alive/);

  model.search = "N2";
  lines = draw(model);
  assert.equal(rowOf(lines, "n1"), undefined);
  assert.ok(rowOf(lines, "n2"));
  assert.match(lines.at(-1)!, /\/ search:N2/);

  model.search = "zzz";
  assert.match(draw(model)[2], /no members match/);
});

Deno.test("search mode shows what is typed in the footer", () => {
  const model = fiveMembers();
  for (const ch of "/n4") handleKey(model, { name: ch, sequence: ch }, 30);
  const lines = draw(model);
  assert.match(lines.at(-1)!, /^\/ n4_ +enter keep/);
  assert.ok(rowOf(lines, "n4"));
  assert.equal(rowOf(lines, "n1"), undefined);
});

Deno.test("narrow screens drop HOW, TAGS, RESOURCES, INC, SINCE, ADDRESS in that order", () => {
  const model = fiveMembers();
  let dropped = 0;
  for (let width = 160; width >= 20; width--) {
    const titles = draw(model, { width })[1].trim().split(/\s+/);
    const gone = DROP_ORDER.filter((c) => !titles.includes(c));
    assert.deepEqual(gone, DROP_ORDER.slice(0, gone.length), `width ${width}`);
    assert.ok(
      gone.length >= dropped,
      "a column never comes back on a narrower screen",
    );
    dropped = gone.length;
    assert.ok(titles.includes("NAME") && titles.includes("STATE"));
  }
  assert.equal(dropped, DROP_ORDER.length);
});

Deno.test("no line is wider than the screen, wide characters and colour included", () => {
  const model = modelWith([
    member("n1"),
    member("東京ノード一番", "suspect", 3, { by: "n1" }),
    member("😀-emoji-node-with-a-long-name", "dead", 1, {
      tags: { "地域": "アジア", role: "edge-gateway-with-a-long-tag" },
    }),
    ...many(40).slice(1),
  ]);
  applyLine(model, event(11, null, member("n99")), T0);
  model.selected = "東京ノード一番";

  for (const mode of ["list", "detail", "help", "search"] as Mode[]) {
    model.mode = mode;
    for (let width = 0; width <= 130; width += 1) {
      for (const color of [false, true]) {
        for (const line of draw(model, { width, height: 25, color })) {
          assert.ok(widthOf(line) <= width, `${mode} ${width}: ${plain(line)}`);
        }
      }
    }
  }
});

Deno.test("without colour there is no escape code in any mode", () => {
  const model = fiveMembers();
  applyLine(model, event(11, "alive", member("n5", "dead"), "n2"), T0);
  setConnection(model, "disconnected", T0, {
    retryInMs: 1000,
    error: "refused",
  });
  model.selected = "n5";

  for (const mode of ["list", "detail", "help", "search"] as Mode[]) {
    model.mode = mode;
    const text = draw(model, { nowMs: T0 + 10 }).join("\n");
    assert.ok(!text.includes("\x1b"), mode);
  }
});

Deno.test("render() returns exactly height lines for any size", () => {
  const model = modelWith(many(60));
  for (const mode of ["list", "detail", "help", "search"] as Mode[]) {
    model.mode = mode;
    model.selected = mode === "detail" ? "n7" : undefined;
    for (const width of [0, 1, 10, 20, 80]) {
      for (let height = 0; height <= 45; height++) {
        assert.equal(draw(model, { width, height }).length, height);
      }
    }
  }
  assert.equal(draw(modelWith([]), { height: 5, width: 20 }).length, 5);
});

Deno.test("a small screen of 20 by 5 still shows the header, a table and the hints", () => {
  const lines = draw(fiveMembers(), { width: 20, height: 5 });
  assert.equal(lines.length, 5);
  assert.equal(lines[0], "connected");
  assert.match(lines[1], /NAME +STATE/);
  assert.match(lines[2], /SUSPECT/);
  assert.match(lines[3], /↓ 4 more/);
  assert.match(lines[4], /^q quit/);
});

Deno.test("more members than rows show how many are hidden", () => {
  const model = modelWith(many(500));
  const lines = draw(model, { height: 30 });
  assert.ok(lines.some((l) => l.trim() === "↓ 484 more"), lines.join("\n"));
});

Deno.test("scrolling through 300 members keeps the selected row on screen", () => {
  const model = modelWith(many(300));
  const height = 30;
  const keys = [
    "down",
    ...Array(40).fill("j"),
    "pagedown",
    "pagedown",
    "end",
    "pageup",
    "k",
    "home",
  ];
  for (const name of keys) {
    handleKey(model, { name }, height);
    const row = rowOf(draw(model, { height }), model.selected!);
    assert.ok(row?.startsWith("›"), `after ${name}: ${model.selected}`);
  }
});

Deno.test("the selected row stays on screen even when keys assumed a taller screen", () => {
  const model = modelWith(many(300));
  for (let i = 0; i < 60; i++) handleKey(model, { name: "down" }, 80);
  assert.ok(
    rowOf(draw(model, { height: 12 }), model.selected!)?.startsWith("›"),
  );
});

Deno.test("the recent changes pane lists changes newest first with UTC times", () => {
  const model = fiveMembers();
  applyLine(
    model,
    event(11, "alive", member("n5", "suspect", 1), "n2"),
    T0 + 11_000,
  );
  applyLine(model, event(12, "suspect", member("n5", "alive", 5)), T0 + 15_000);
  const lines = draw(model);
  const title = lines.findIndex((l) => l.startsWith("── Recent changes"));

  assert.ok(title > 0);
  assert.equal(
    lines[title + 1],
    "13:00:15  n5  suspect → alive  refuted (inc 5)",
  );
  assert.equal(lines[title + 2], "13:00:11  n5  alive → suspect  by n2");
});

Deno.test("a formatTime option replaces the UTC clock", () => {
  const model = fiveMembers();
  applyLine(model, event(11, "alive", member("n5", "dead"), "n2"), T0);
  const lines = draw(model, { formatTime: () => "T" });
  assert.ok(lines.includes("T  n5  alive → dead  by n2"));
});

Deno.test("the detail shows every field of the member and its own changes", () => {
  const model = fiveMembers();
  applyLine(
    model,
    event(
      11,
      "alive",
      member("n5", "suspect", 1, {
        tags: { role: "edge", zone: "a" },
      }),
      "n2",
    ),
    T0,
  );
  model.selected = "n5";
  model.mode = "detail";
  const text = draw(model, { nowMs: T0 + 12_000, height: 40 }).join("\n");

  for (
    const expected of [
      "── n5 ",
      "name         n5",
      "address      10.0.0.5:7946",
      "state        SUSPECT",
      "incarnation  1",
      "since        12s ago, at 13:00:00",
      "how          suspected by n2",
      "cpus         2",
      "memory       23.5G (24064 MiB)",
      "tags         role=edge",
      "             zone=a",
      "── Changes of n5 ",
      "13:00:00  alive → suspect  by n2",
    ]
  ) {
    assert.ok(text.includes(expected), `missing ${expected}\n${text}`);
  }
});

Deno.test("the detail of a forgotten member says so", () => {
  const model = fiveMembers();
  model.selected = "n9";
  model.mode = "detail";
  assert.match(draw(model).join("\n"), /n9 is no longer known/);
});

Deno.test("the help lists the keys and the states", () => {
  const model = fiveMembers();
  model.mode = "help";
  const text = draw(model, { height: 40 }).join("\n");
  for (const key of ["ctrl-c", "pgup", "enter", "/", "SUSPECT"]) {
    assert.ok(text.includes(key), key);
  }
});

Deno.test("the footer shows the keys with the current sort and filter", () => {
  assert.equal(
    draw(fiveMembers()).at(-1),
    "q quit  ↑↓ select  enter details  s sort:state  f filter:all  / search  ? help",
  );
});

Deno.test("SINCE reads as seconds, minutes and hours", () => {
  const model = modelWith([member("n1", "alive", 1, {
    since: new Date(T0 - 4000).toISOString(),
  })]);
  const since = (nowMs: number) =>
    draw(model, { nowMs })[2].match(/ALIVE +\d+ +(\S+)/)?.[1];
  assert.equal(since(T0), "4s");
  assert.equal(since(T0 + 188_000), "3m12s");
  assert.equal(since(T0 + 2 * 3_600_000), "2h00m");
});

Deno.test("control characters sent as a name or tag are not passed to the terminal", () => {
  const model = modelWith([
    member("evil\x1b[2J", "alive", 1, { tags: { x: "\x07" } }),
  ]);
  const text = draw(model).join("\n");
  assert.ok(!text.includes("\x1b") && !text.includes("\x07"));
  assert.ok(text.includes("evil?[2J"));
});

Deno.test("before the first snapshot the table says it is waiting", () => {
  const model = modelWith([]);
  model.lastSeq = undefined;
  assert.match(draw(model)[2], /waiting for the agent/);
});
