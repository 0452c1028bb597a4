/**
 * The one-line text form of scenario steps, as in `expect n3 dead on all`.
 *
 * @module
 */

import type { MemberState } from "../core/mod.ts";
import type { Step } from "./scenario.ts";

/**
 * Parses one step from its text form:
 * `start n1..n5 [via n1]`, `start 3`, `crash n3`, `pause n2 n4`,
 * `resume n2`, `leave n4`, `partition n1,n2 | n3,n4`, `partition n3`
 * (n3 against every other node, resolved when run), `heal`,
 * `advance 6s` or `advance 500ms`,
 * `expect n3 dead [on all | on n1,n2] [within 10s]`.
 *
 * @throws {SyntaxError} when the line is not a step.
 */
export function parseStep(line: string): Step {
  const words = line.trim().split(/\s+/);
  const [verb, ...rest] = words;
  switch (verb) {
    case "start":
      return parseStart(rest, line);
    case "crash":
    case "pause":
    case "resume":
    case "leave":
      return { op: verb, names: names(rest, line) };
    case "partition":
      return parsePartition(rest.join(" "), line);
    case "heal":
      return { op: "heal" };
    case "advance":
      return { op: "advance", ms: duration(rest[0], line) };
    case "expect":
      return parseExpect(rest, line);
  }
  throw new SyntaxError(`Cannot parse step as its verb is unknown: "${line}"`);
}

function parseStart(rest: string[], line: string): Step {
  const via = rest.indexOf("via");
  const what = via >= 0 ? rest.slice(0, via) : rest;
  const seeds = via >= 0 ? names(rest.slice(via + 1), line) : undefined;
  if (what.length === 1 && /^\d+$/.test(what[0])) {
    return { op: "start", count: Number(what[0]), seeds };
  }
  return { op: "start", names: names(what, line), seeds };
}

function parsePartition(text: string, line: string): Step {
  const sides = text.split("|").map((s) => names(s.split(/[\s,]+/), line));
  if (sides.length === 2) {
    return { op: "partition", groups: [sides[0], sides[1]] };
  }
  if (sides.length === 1) {
    // The other side is every other node, known only when the step runs.
    return { op: "partition", groups: [sides[0], [ISOLATE_REST]] };
  }
  throw new SyntaxError(
    `Cannot parse step as a partition has two sides: "${line}"`,
  );
}

function parseExpect(rest: string[], line: string): Step {
  const [member, state, ...tail] = rest;
  if (!member || !isState(state)) {
    throw new SyntaxError(
      `Cannot parse step as expect needs a member and a state: "${line}"`,
    );
  }
  const step: Extract<Step, { op: "expect" }> = { op: "expect", member, state };
  for (let i = 0; i < tail.length; i += 2) {
    const [key, value] = [tail[i], tail[i + 1]];
    if (key === "on") step.on = value === "all" ? "all" : names([value], line);
    else if (key === "within") step.withinMs = duration(value, line);
    else throw new SyntaxError(`Cannot parse step at "${key}": "${line}"`);
  }
  return step;
}

/** Stands for "every other node" in a one-sided partition. */
export const ISOLATE_REST = "*";

function isState(s: string | undefined): s is MemberState {
  return s === "alive" || s === "suspect" || s === "dead" || s === "left";
}

/** Expands `n1..n5`, `a,b` and plain names. */
function names(parts: string[], line: string): string[] {
  const out: string[] = [];
  for (const part of parts.flatMap((p) => p.split(","))) {
    if (part === "") continue;
    const range = /^([A-Za-z_-]*)(\d+)\.\.\1?(\d+)$/.exec(part);
    if (!range) {
      out.push(part);
      continue;
    }
    const [, prefix, from, to] = range;
    for (let i = Number(from); i <= Number(to); i++) out.push(`${prefix}${i}`);
  }
  if (out.length === 0) {
    throw new SyntaxError(`Cannot parse step as it names no node: "${line}"`);
  }
  return out;
}

function duration(text: string | undefined, line: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text ?? "");
  if (!m) throw new SyntaxError(`Cannot parse duration "${text}": "${line}"`);
  const scale = m[2] === "ms" ? 1 : m[2] === "m" ? 60_000 : 1000;
  return Math.round(Number(m[1]) * scale);
}

/** A step in its one-line text form, for error messages. */
export function describeStep(step: Step): string {
  switch (step.op) {
    case "start": {
      const what = step.names?.join(",") ?? String(step.count ?? 1);
      return `start ${what}${step.seeds ? ` via ${step.seeds.join(",")}` : ""}`;
    }
    case "crash":
    case "pause":
    case "resume":
    case "leave":
      return `${step.op} ${step.names.join(",")}`;
    case "partition":
      return `partition ${step.groups[0].join(",")} | ${
        step.groups[1].join(",")
      }`;
    case "heal":
      return "heal";
    case "advance":
      return `advance ${step.ms}ms`;
    case "expect": {
      const on = step.on === undefined || step.on === "all"
        ? "all"
        : step.on.join(",");
      const within = step.withinMs ? ` within ${step.withinMs}ms` : "";
      return `expect ${step.member} ${step.state} on ${on}${within}`;
    }
  }
}
