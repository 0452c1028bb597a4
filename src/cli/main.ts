/**
 * The command dispatcher: `rads-node <command> [flags]`.
 *
 * @module
 */

import process from "node:process";
import { UsageError } from "./errors.ts";
import { parseFlags } from "./args.ts";
import { runtimeName } from "../net/select.ts";
import { COMMIT, VERSION } from "../version.ts";

/** Top-level help. */
export const USAGE = `rads-node ${VERSION}: cluster membership for edge machines

Usage: rads-node <command> [flags]

Commands:
  agent     run a node (see rads-node agent --help)
  members   list the members the local agent knows of
  watch     show the cluster live in the terminal
  demo      start a small cluster on loopback and watch it
  join      ask the local agent to join through HOST:PORT...
  leave     ask the local agent to leave gracefully and exit
  version   print the version, commit, runtime and platform

Every command takes --help. Exit codes: 0 ok, 1 runtime error,
2 bad flags or configuration.
`;

type Env = Record<string, string | undefined>;
type Command = (argv: string[], env: Env) => Promise<number>;

// Each command's code is loaded only when it runs: an agent that never
// draws a terminal view does not hold the view's code in memory.
const COMMANDS: Record<string, Command> = {
  agent: async (argv, env) => (await import("./agent.ts")).runAgent(argv, env),
  members: async (argv, env) =>
    (await import("./members.ts")).runMembers(argv, env),
  watch: async (argv, env) => (await import("./watch.ts")).runWatch(argv, env),
  demo: async (argv, env) => (await import("./demo.ts")).runDemo(argv, env),
  join: async (argv, env) =>
    (await import("./join_leave.ts")).runJoin(argv, env),
  leave: async (argv, env) =>
    (await import("./join_leave.ts")).runLeave(argv, env),
  version: (argv) => Promise.resolve(runVersion(argv)),
};

/** Help for `rads-node version`. */
export const VERSION_USAGE = `Usage: rads-node version [--json]

Prints the version, the commit it was built from, the runtime and the
platform, e.g. "rads-node 0.1.0 (commit abc1234) deno 2.9.6 linux/x64".

Options:
  --json      print {"version", "commit", "runtime", "platform", "arch"}
  -h, --help  show this help
`;

/** What `rads-node version` reports. */
export interface VersionInfo {
  version: string;
  commit: string;
  /** `deno 2.9.6`, `bun 1.4.5`. */
  runtime: string;
  /** As node:process names it: `linux`, `darwin`. */
  platform: string;
  /** As node:process names it: `x64`, `arm64`. */
  arch: string;
}

/** This build and where it runs. */
export function versionInfo(): VersionInfo {
  return {
    version: VERSION,
    commit: COMMIT,
    runtime: runtimeName(),
    platform: process.platform,
    arch: process.arch,
  };
}

/** `rads-node 0.1.0 (commit abc1234) deno 2.9.6 linux/x64`. */
export function versionLine(v: VersionInfo = versionInfo()): string {
  return `rads-node ${v.version} (commit ${v.commit}) ${v.runtime} ` +
    `${v.platform}/${v.arch}`;
}

function runVersion(argv: string[]): number {
  const { values } = parseFlags("version", argv, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) console.log(VERSION_USAGE);
  else if (values.json) console.log(JSON.stringify(versionInfo()));
  else console.log(versionLine());
  return 0;
}

/** Runs the command named in `argv[0]`; resolves with the exit code. */
export function run(argv: string[], env: Env): Promise<number> {
  const [command, ...rest] = argv;
  if (
    command === undefined || command === "help" || command === "--help" ||
    command === "-h"
  ) {
    console.log(USAGE);
    return Promise.resolve(command === undefined ? 2 : 0);
  }
  if (command === "--version") return COMMANDS.version([], env);

  const fn = COMMANDS[command];
  if (!fn) {
    throw new UsageError(
      `unknown command "${command}" (commands: ${
        Object.keys(COMMANDS).join(", ")
      }; see rads-node --help)`,
    );
  }
  return fn(rest, env);
}
