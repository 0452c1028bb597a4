/**
 * `rads-node members`: the member list as a table or JSON.
 *
 * @module
 */

import type { MemberJson } from "../agent/control.ts";
import { parseFlags } from "./args.ts";
import {
  ControlClient,
  controlToken,
  DEFAULT_CONTROL,
  TOKEN_USAGE,
} from "./client.ts";

/** Help for `rads-node members`. */
export const MEMBERS_USAGE =
  `Usage: rads-node members [--control HOST:PORT] [--control-token TOKEN] [--json]

Lists every member the local agent knows of, with its state.

Options:
  --control HOST:PORT  control API of the agent to ask (default ${DEFAULT_CONTROL},
                       or RADS_CONTROL)
${TOKEN_USAGE}
  --json               print a JSON array instead of a table
  -h, --help           show this help
`;

/** Runs the command; returns the exit code. */
export async function runMembers(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = parseFlags("members", argv, {
    control: { type: "string" },
    "control-token": { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(MEMBERS_USAGE);
    return 0;
  }

  const control = values.control as string | undefined;
  const client = new ControlClient(
    control ?? env.RADS_CONTROL ?? DEFAULT_CONTROL,
    controlToken(values["control-token"], env),
  );
  const { members } = await client.members();
  members.sort((a, b) => a.name.localeCompare(b.name));

  if (values.json) console.log(JSON.stringify(members, null, 2));
  else console.log(formatTable(members));
  return 0;
}

/** Formats members as an aligned plain-text table. */
export function formatTable(members: MemberJson[]): string {
  const header = ["NAME", "ADDRESS", "STATE", "INC", "CPUS", "MEMORY", "TAGS"];
  const rows = members.map((m) => [
    printable(m.name),
    printable(m.addr),
    m.state,
    String(m.incarnation),
    m.cpus > 0 ? String(m.cpus) : "-",
    m.memoryMiB > 0 ? formatMiB(m.memoryMiB) : "-",
    printable(
      Object.entries(m.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(","),
    ) || "-",
  ]);

  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  return [header, ...rows]
    .map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd())
    .join("\n");
}

/**
 * Another member's name or tags could carry terminal escape codes; show
 * control characters as "?" so they cannot act on the operator's terminal.
 */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
}

function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)}G` : `${mib}M`;
}
