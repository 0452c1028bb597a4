/**
 * The state of `rads-node watch` and the reducers that feed it: stream lines
 * from the control API, connection status and (in keys.ts) key presses.
 * Pure: time always comes in as `nowMs`, nothing here touches a terminal.
 *
 * @module
 */

import type { MemberJson } from "../agent/control.ts";
import { type MemberState, stateRank } from "../core/member.ts";
import {
  type MemberLine,
  parseLine,
  type ReapedLine,
  type SnapshotLine,
} from "./_parse.ts";

/** How long a row stays highlighted after its state changed, in ms. */
export const HIGHLIGHT_MS = 3000;
/** Most changes kept in `recent`; older ones are dropped. */
export const RECENT_LIMIT = 200;

/** A member as the watch view shows it. */
export interface Row extends MemberJson {
  /** Local time (ms) at which the state last changed. */
  changedAtMs: number;
  /** The row is highlighted while `nowMs` is below this. */
  highlightUntilMs: number;
  /** How the member reached its state: "suspected by n2", "left", ... */
  how: string;
  /** Seq of the last stream line applied to this row. */
  lastSeq: number;
}

/** One entry of the "Recent changes" pane. */
export interface Change {
  /** Local time (ms) at which we saw the change. */
  atMs: number;
  name: string;
  /** State before; null when the member was new to us. */
  from: MemberState | null;
  /** State after; "forgotten" when the agent reaped the member. */
  to: MemberState | "forgotten";
  by?: string;
  addr: string;
  incarnation: number;
  /** Short note after the states: "by n2", "refuted (inc 5)", ... */
  note: string;
}

/** Where we stand with the agent's event stream. */
export type ConnectionStatus = "connecting" | "connected" | "disconnected";
/** Order of the member table. */
export type SortOrder = "state" | "name" | "change";
/** What the screen shows besides the header. */
export type Mode = "list" | "detail" | "help" | "search";

/** Everything the watch view shows, plus its UI state. */
export interface WatchModel {
  /** Name of the node we watch; known after the first snapshot. */
  self?: string;
  members: Map<string, Row>;
  /** Seq of the last stream line applied; undefined before a snapshot. */
  lastSeq?: number;
  /** Newest first, at most RECENT_LIMIT. */
  recent: Change[];
  connection: ConnectionStatus;
  /** Local time (ms) of the last connection status change. */
  connectionSinceMs: number;
  /** When disconnected: delay before the next attempt, from connectionSinceMs. */
  retryInMs?: number;
  lastError?: string;
  startedAtMs: number;
  /** Name of the selected member. */
  selected?: string;
  sort: SortOrder;
  /** Show only members in this state; undefined shows all. */
  filter?: MemberState;
  search: string;
  mode: Mode;
  /** Index in visibleRows() of the first row on screen. */
  scroll: number;
}

/** A fresh model, connecting, with no members. */
export function createModel(nowMs: number): WatchModel {
  return {
    members: new Map(),
    recent: [],
    connection: "connecting",
    connectionSinceMs: nowMs,
    startedAtMs: nowMs,
    sort: "state",
    search: "",
    mode: "list",
    scroll: 0,
  };
}

/**
 * Applies one line of the event stream. Unknown, malformed, duplicate and
 * stale lines are ignored. Returns whether anything changed.
 */
export function applyLine(
  model: WatchModel,
  line: unknown,
  nowMs: number,
): boolean {
  const parsed = parseLine(line);
  switch (parsed?.type) {
    case "snapshot":
      return onSnapshot(model, parsed, nowMs);
    case "member":
      return onMember(model, parsed, nowMs);
    case "reaped":
      return onReaped(model, parsed, nowMs);
    default:
      return false;
  }
}

/** Extra facts that come with a connection status. */
export interface ConnectionDetail {
  /** Delay before the next attempt, in ms. */
  retryInMs?: number;
  /** Why the last attempt failed. */
  error?: string;
}

/** Records a change of connection status. */
export function setConnection(
  model: WatchModel,
  status: ConnectionStatus,
  nowMs: number,
  detail?: ConnectionDetail,
): void {
  model.connection = status;
  model.connectionSinceMs = nowMs;
  model.retryInMs = status === "disconnected" ? detail?.retryInMs : undefined;

  // Keep the last error while connecting again; it explains the wait.
  if (detail?.error !== undefined) model.lastError = detail.error;
  if (status === "connected") model.lastError = undefined;
}

function onSnapshot(m: WatchModel, s: SnapshotLine, nowMs: number): boolean {
  // After a reconnect, differences from what we had are changes we missed.
  // A snapshot of another node is a new view, not a change.
  const old = m.members;
  const diff = m.lastSeq !== undefined &&
    (s.self === undefined || s.self === m.self);

  // On the first snapshot we did not see members arrive: alive ones get no
  // story, the others still say who raised their state.
  m.members = new Map();
  for (const member of s.members) {
    const prev = old.get(member.name);
    const row = snapshotRow(member, prev, s.seq, nowMs);
    if (!diff && member.state === "alive") row.how = "";
    m.members.set(member.name, row);
    if (diff && isVisibleChange(prev, member)) {
      row.highlightUntilMs = nowMs + HIGHLIGHT_MS;
      record(m, changeOf(prev?.state ?? null, prev, member, member.by, nowMs));
    }
  }
  if (diff) recordForgotten(m, old, nowMs);

  // A seq below ours means the agent restarted and counts from zero again;
  // either way its numbering is the one to follow from here.
  m.self = s.self ?? m.self;
  m.lastSeq = s.seq;
  return true;
}

function onMember(m: WatchModel, e: MemberLine, nowMs: number): boolean {
  const prev = m.members.get(e.member.name);
  if (isDuplicate(m, e.seq, prev)) return false;
  m.lastSeq = e.seq;

  // Precedence as in SWIM: a stale report must not move a member back.
  const member = e.member;
  if (prev && !accepts(member, prev)) return false;

  const from = prev ? prev.state : e.from;
  const by = e.by ?? member.by;
  const row: Row = prev ? { ...prev, ...member, lastSeq: e.seq } : {
    ...member,
    changedAtMs: nowMs,
    highlightUntilMs: 0,
    how: "",
    lastSeq: e.seq,
  };
  m.members.set(member.name, row);

  if (isVisibleChange(prev, member)) {
    row.changedAtMs = nowMs;
    row.highlightUntilMs = nowMs + HIGHLIGHT_MS;
    row.how = describe(from, prev, member, by).how;
    record(m, changeOf(from, prev, member, by, nowMs));
  }
  return true;
}

function onReaped(m: WatchModel, e: ReapedLine, nowMs: number): boolean {
  const prev = m.members.get(e.name);
  if (isDuplicate(m, e.seq, prev)) return false;
  m.lastSeq = e.seq;
  if (!prev) return false;

  m.members.delete(e.name);
  record(m, forgotten(prev, nowMs));
  return true;
}

function isDuplicate(m: WatchModel, seq: number, row?: Row): boolean {
  if (m.lastSeq !== undefined && seq <= m.lastSeq) return true;
  return row !== undefined && seq <= row.lastSeq;
}

/** Higher incarnation wins; at an equal one alive < suspect < dead < left. */
function accepts(update: MemberJson, current: Row): boolean {
  if (update.incarnation !== current.incarnation) {
    return update.incarnation > current.incarnation;
  }
  return stateRank(update.state) >= stateRank(current.state);
}

function isVisibleChange(prev: Row | undefined, member: MemberJson): boolean {
  return !prev || prev.state !== member.state || prev.addr !== member.addr;
}

function snapshotRow(
  member: MemberJson,
  prev: Row | undefined,
  seq: number,
  nowMs: number,
): Row {
  const since = Date.parse(member.since);
  const same = prev !== undefined && !isVisibleChange(prev, member);
  const fallbackMs = same ? prev.changedAtMs : nowMs;
  return {
    ...member,
    changedAtMs: Number.isFinite(since) ? since : fallbackMs,
    highlightUntilMs: same ? prev.highlightUntilMs : 0,
    how: same ? prev.how : describe(prev?.state ?? null, prev, member).how,
    lastSeq: seq,
  };
}

function recordForgotten(m: WatchModel, old: Map<string, Row>, nowMs: number) {
  for (const [name, prev] of old) {
    if (!m.members.has(name)) record(m, forgotten(prev, nowMs));
  }
}

function forgotten(prev: Row, nowMs: number): Change {
  return {
    atMs: nowMs,
    name: prev.name,
    from: prev.state,
    to: "forgotten",
    addr: prev.addr,
    incarnation: prev.incarnation,
    note: "",
  };
}

function changeOf(
  from: MemberState | null,
  prev: Row | undefined,
  member: MemberJson,
  by: string | undefined,
  nowMs: number,
): Change {
  return {
    atMs: nowMs,
    name: member.name,
    from,
    to: member.state,
    by,
    addr: member.addr,
    incarnation: member.incarnation,
    note: describe(from, prev, member, by).note,
  };
}

/** The row's "how" text and the change's note, for one transition. */
function describe(
  from: MemberState | null,
  prev: Row | undefined,
  member: MemberJson,
  by = member.by,
): { how: string; note: string } {
  const byNote = by ? `by ${by}` : "";
  switch (member.state) {
    case "suspect":
      return { how: by ? `suspected by ${by}` : "suspected", note: byNote };
    case "dead":
      return {
        how: by ? `declared dead by ${by}` : "declared dead",
        note: byNote,
      };
    case "left":
      return { how: "left", note: "" };
  }

  const inc = `(inc ${member.incarnation})`;
  if (prev && prev.addr !== member.addr) {
    return {
      how: "restarted at new address",
      note: `restarted at ${member.addr}`,
    };
  }
  if (from === null) return { how: "joined", note: `joined at ${member.addr}` };
  if (from === "left") {
    return { how: `rejoined ${inc}`, note: `rejoined ${inc}` };
  }
  if (from === "alive") return { how: prev?.how ?? "", note: "" };
  return { how: `refuted ${inc}`, note: `refuted ${inc}` };
}

function record(m: WatchModel, change: Change): void {
  m.recent.unshift(change);
  if (m.recent.length > RECENT_LIMIT) m.recent.length = RECENT_LIMIT;
}

/** Problems first: the order of the "state" sort. */
const STATE_ORDER: Record<MemberState, number> = {
  suspect: 0,
  dead: 1,
  alive: 2,
  left: 3,
};

// Numeric collation so that n2 sorts before n10.
const collator = new Intl.Collator("en", { numeric: true });
const byName = (a: Row, b: Row) => collator.compare(a.name, b.name);

const COMPARE: Record<SortOrder, (a: Row, b: Row) => number> = {
  state: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || byName(a, b),
  name: byName,
  change: (a, b) => b.changedAtMs - a.changedAtMs || byName(a, b),
};

/** The rows the table shows, after filter and search, in sort order. */
export function visibleRows(model: WatchModel): Row[] {
  const query = model.search.trim().toLowerCase();
  const rows: Row[] = [];
  for (const row of model.members.values()) {
    if (model.filter !== undefined && row.state !== model.filter) continue;
    if (query !== "" && !matches(row, query)) continue;
    rows.push(row);
  }
  return rows.sort(COMPARE[model.sort]);
}

/** Whether a row matches a lower-case query: name, address or any tag. */
function matches(row: Row, query: string): boolean {
  if (row.name.toLowerCase().includes(query)) return true;
  if (row.addr.toLowerCase().includes(query)) return true;
  return Object.entries(row.tags).some(([k, v]) =>
    k.toLowerCase().includes(query) || v.toLowerCase().includes(query) ||
    `${k}=${v}`.toLowerCase().includes(query)
  );
}

/** Members per state, over all known members (filter and search aside). */
export function countStates(model: WatchModel): Record<MemberState, number> {
  const counts = { alive: 0, suspect: 0, dead: 0, left: 0 };
  for (const row of model.members.values()) counts[row.state] += 1;
  return counts;
}

/** Every member we know of, in any state. */
export function clusterSize(model: WatchModel): number {
  return model.members.size;
}

/** The selected member's row, if it is still known. */
export function selectedRow(model: WatchModel): Row | undefined {
  return model.selected === undefined
    ? undefined
    : model.members.get(model.selected);
}
