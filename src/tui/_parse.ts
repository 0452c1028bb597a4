/**
 * Checks the lines of the control API's event stream. The stream comes from
 * another process, so every field is checked and a bad line is dropped,
 * never thrown on.
 *
 * @module
 */

import type { MemberJson } from "../agent/control.ts";
import { MEMBER_STATES, type MemberState } from "../core/member.ts";

/** `{"type":"snapshot"}`: every member as of `seq`. */
export interface SnapshotLine {
  type: "snapshot";
  seq: number;
  self?: string;
  members: MemberJson[];
}

/** `{"type":"member"}`: one member changed. */
export interface MemberLine {
  type: "member";
  seq: number;
  at?: string;
  from: MemberState | null;
  by?: string;
  member: MemberJson;
}

/** `{"type":"reaped"}`: a member was forgotten. */
export interface ReapedLine {
  type: "reaped";
  seq: number;
  name: string;
}

/** A stream line the watch view acts on. */
export type StreamLine = SnapshotLine | MemberLine | ReapedLine;

type Fields = Record<string, unknown>;

/** Parses one stream line; undefined when unknown or malformed. */
export function parseLine(line: unknown): StreamLine | undefined {
  if (!isFields(line) || !isSeq(line.seq)) return undefined;
  switch (line.type) {
    case "snapshot":
      return parseSnapshot(line);
    case "member":
      return parseMemberLine(line);
    case "reaped":
      return parseReaped(line);
    default:
      return undefined;
  }
}

function parseSnapshot(line: Fields): SnapshotLine | undefined {
  if (!Array.isArray(line.members)) return undefined;
  if (!isOptional(line.self, "string")) return undefined;

  // One bad member should not cost the whole snapshot: skip it alone.
  const members: MemberJson[] = [];
  for (const m of line.members) {
    const member = parseMember(m);
    if (member) members.push(member);
  }
  const self = optString(line.self);
  return { type: "snapshot", seq: line.seq as number, self, members };
}

function parseMemberLine(line: Fields): MemberLine | undefined {
  const member = parseMember(line.member);
  if (!member) return undefined;
  if (!isOptional(line.by, "string") || !isOptional(line.at, "string")) {
    return undefined;
  }

  const from = line.from ?? null;
  if (from !== null && !isState(from)) return undefined;
  return {
    type: "member",
    seq: line.seq as number,
    at: optString(line.at),
    from,
    by: optString(line.by),
    member,
  };
}

function parseReaped(line: Fields): ReapedLine | undefined {
  if (typeof line.name !== "string" || line.name === "") return undefined;
  return { type: "reaped", seq: line.seq as number, name: line.name };
}

/**
 * Checks a member. Name, address, state and incarnation are required; the
 * rest take a neutral default when missing but must have the right type.
 */
export function parseMember(m: unknown): MemberJson | undefined {
  if (!isFields(m)) return undefined;
  if (typeof m.name !== "string" || m.name === "") return undefined;
  if (typeof m.addr !== "string" || !isState(m.state)) return undefined;
  if (!isCount(m.incarnation)) return undefined;

  const optionalOk = isOptional(m.since, "string") &&
    isOptional(m.by, "string") && isOptionalCount(m.cpus) &&
    isOptionalCount(m.memoryMiB);
  const tags = parseTags(m.tags);
  if (!optionalOk || !tags) return undefined;

  return {
    name: m.name,
    addr: m.addr,
    state: m.state,
    incarnation: m.incarnation,
    tags,
    cpus: (m.cpus as number | undefined) ?? 0,
    memoryMiB: (m.memoryMiB as number | undefined) ?? 0,
    since: optString(m.since) ?? "",
    by: optString(m.by),
  };
}

function parseTags(tags: unknown): Record<string, string> | undefined {
  if (tags === undefined || tags === null) return {};
  if (!isFields(tags)) return undefined;

  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== "string") return undefined;
    out[k] = v;
  }
  return out;
}

function isFields(v: unknown): v is Fields {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isState(v: unknown): v is MemberState {
  return typeof v === "string" && MEMBER_STATES.includes(v as MemberState);
}

function isSeq(v: unknown): v is number {
  return isCount(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isOptionalCount(v: unknown): boolean {
  return v === undefined || (typeof v === "number" && v >= 0 && isFinite(v));
}

function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function isOptional(v: unknown, type: "string"): boolean {
  return v === undefined || v === null || typeof v === type;
}
