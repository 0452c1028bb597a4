/**
 * `rads-node watch`: the cluster, live. A full-screen view on a terminal;
 * one line per state change when standard output is a pipe or a file.
 *
 * @module
 */

import process from "node:process";
import { parseFlags } from "./args.ts";
import {
  ControlClient,
  controlToken,
  DEFAULT_CONTROL,
  TOKEN_USAGE,
  TokenRefusedError,
} from "./client.ts";
import { follow } from "./_follow.ts";
import { runScreen } from "./_screen.ts";

/** Help for `rads-node watch`. */
export const WATCH_USAGE =
  `Usage: rads-node watch [--control HOST:PORT] [--control-token TOKEN]

Shows the cluster live, as the local agent sees it: every member, its state
(ALIVE, SUSPECT, DEAD, LEFT), how it got there, and the latest changes.
Keys: q quit, arrows or j/k select, enter details, s sort, f filter by
state, / search by name or tag, ? help.

When standard output is not a terminal, prints one line per state change
instead, so that "rads-node watch | grep DEAD" works.

Options:
  --control HOST:PORT  control API of the agent (default ${DEFAULT_CONTROL},
                       or RADS_CONTROL)
${TOKEN_USAGE}
  -h, --help           show this help

Colours follow NO_COLOR; the view reads the same without them.
`;

/** Runs the command; returns the exit code. */
export async function runWatch(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = parseFlags("watch", argv, {
    control: { type: "string" },
    "control-token": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(WATCH_USAGE);
    return 0;
  }
  const control = (values.control as string | undefined) ??
    env.RADS_CONTROL ?? DEFAULT_CONTROL;
  const client = new ControlClient(
    control,
    controlToken(values["control-token"], env),
  );
  await checkToken(client);

  if (!process.stdout.isTTY) return await runLines(client);
  return await runScreen({
    title: `control ${control}`,
    color: env.NO_COLOR === undefined || env.NO_COLOR === "",
    start: (feed, signal) => follow(client, feed, signal),
  });
}

/**
 * Fails at once on a refused token, which retrying cannot fix; an agent
 * that is not up yet is left to the view's own retries.
 */
async function checkToken(client: ControlClient): Promise<void> {
  try {
    await client.members();
  } catch (err) {
    if (err instanceof TokenRefusedError) throw err;
  }
}

/** Log mode: one line per member state change, until interrupted. */
async function runLines(client: ControlClient): Promise<number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  // States as last printed, so that changes missed while disconnected are
  // printed from the snapshot that follows a reconnect.
  const known = new Map<string, string>();
  let snapshots = 0;
  await follow(client, {
    onLine: (line) => {
      if (line.type === "snapshot") {
        const missed = catchUp(line, known, snapshots++ > 0);
        for (const text of missed) console.log(text);
        return;
      }
      const text = describeLine(line);
      if (text) console.log(text);
      remember(line, known);
    },
    onStatus: (s) => {
      if (s.status === "disconnected") {
        console.error(
          `rads-node: disconnected from ${client.addr} (${s.error}); ` +
            `retrying in ${Math.round(s.retryInMs / 100) / 10}s`,
        );
      }
    },
  }, abort.signal);
  return 0;
}

function remember(line: Record<string, unknown>, known: Map<string, string>) {
  const m = line.member as Record<string, unknown> | undefined;
  if (line.type === "member" && m && typeof m.name === "string") {
    known.set(m.name, String(line.to));
  }
  if (line.type === "reaped" && typeof line.name === "string") {
    known.delete(line.name);
  }
}

/**
 * Lines for members whose state differs between what was printed and a
 * new snapshot; on the first snapshot it only records the states.
 */
export function catchUp(
  snapshot: Record<string, unknown>,
  known: Map<string, string>,
  report: boolean,
): string[] {
  const lines: string[] = [];
  const members = Array.isArray(snapshot.members) ? snapshot.members : [];
  const at = new Date().toISOString();
  for (const m of members as Record<string, unknown>[]) {
    if (typeof m?.name !== "string" || typeof m.state !== "string") continue;
    const before = known.get(m.name);
    if (report && before !== m.state) {
      lines.push(
        `${at} ${m.name} ${(before ?? "none").toUpperCase()} -> ` +
          `${m.state.toUpperCase()} addr=${m.addr} inc=${m.incarnation} ` +
          `(seen after reconnecting)`,
      );
    }
    known.set(m.name, m.state);
  }
  return lines;
}

/** One log line for a member event; undefined for other lines. */
export function describeLine(
  line: Record<string, unknown>,
): string | undefined {
  if (line.type === "reaped" && typeof line.name === "string") {
    return `${line.at} ${line.name} FORGOTTEN`;
  }
  if (line.type !== "member") return undefined;

  const m = line.member as Record<string, unknown> | undefined;
  if (!m || typeof m.name !== "string" || typeof line.to !== "string") {
    return undefined;
  }
  const from = typeof line.from === "string" ? line.from : "none";
  const by = typeof line.by === "string" ? ` by=${line.by}` : "";
  return `${line.at} ${m.name} ${from.toUpperCase()} -> ` +
    `${line.to.toUpperCase()} addr=${m.addr} inc=${m.incarnation}${by}`;
}
