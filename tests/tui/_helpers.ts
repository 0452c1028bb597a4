/**
 * Stream lines and models for the watch view tests.
 *
 * @module
 */

import stringWidth from "string-width";
import type { MemberJson } from "../../src/agent/control.ts";
import type { MemberState } from "../../src/core/member.ts";
import {
  applyLine,
  createModel,
  type WatchModel,
} from "../../src/tui/model.ts";

/** 13:00:00 UTC on 1 January 2025: a fixed "now" for every test. */
export const T0 = Date.UTC(2025, 0, 1, 13, 0, 0);

/** A member as the control API sends it. */
export function member(
  name: string,
  state: MemberState = "alive",
  incarnation = 1,
  extra: Partial<MemberJson> = {},
): MemberJson {
  return {
    name,
    addr: `10.0.0.${name.replace(/\D/g, "") || 9}:7946`,
    state,
    incarnation,
    tags: { role: "core" },
    cpus: 2,
    memoryMiB: 24064,
    since: new Date(T0 - 60_000).toISOString(),
    ...extra,
  };
}

/** The first line of the stream. */
export function snapshot(seq: number, members: MemberJson[], self = "n1") {
  return { type: "snapshot", seq, self, members };
}

/** A member event line. */
export function event(
  seq: number,
  from: MemberState | null,
  m: MemberJson,
  by?: string,
) {
  return {
    type: "member",
    seq,
    at: new Date(T0).toISOString(),
    from,
    to: m.state,
    by,
    member: m,
  };
}

/** A reaped line. */
export function reaped(seq: number, name: string) {
  return { type: "reaped", seq, at: new Date(T0).toISOString(), name };
}

/** A connected model that has applied a snapshot of `members` at T0. */
export function modelWith(members: MemberJson[], seq = 10): WatchModel {
  const model = createModel(T0 - 125_000);
  model.connection = "connected";
  applyLine(model, snapshot(seq, members), T0);
  return model;
}

/** `count` alive members named n1, n2, ... */
export function many(count: number): MemberJson[] {
  return Array.from({ length: count }, (_, i) => member(`n${i + 1}`));
}

/** The text without ANSI escape codes. */
export function plain(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Columns the line takes on a terminal, escape codes aside. */
export function widthOf(text: string): number {
  return stringWidth(plain(text));
}
