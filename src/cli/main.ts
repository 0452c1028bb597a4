/**
 * The command dispatcher: `rads-node <command> [flags]`.
 *
 * @module
 */

import { runAgent } from "./agent.ts";
import { runDemo } from "./demo.ts";
import { runWatch } from "./watch.ts";
import { runJoin, runLeave } from "./join_leave.ts";
import { runMembers } from "./members.ts";
import { UsageError } from "./errors.ts";
import { VERSION } from "../version.ts";

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
  version   print the version

Every command takes --help. Exit codes: 0 ok, 1 runtime error,
2 bad flags or configuration.
`;

type Env = Record<string, string | undefined>;
type Command = (argv: string[], env: Env) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  agent: runAgent,
  members: runMembers,
  watch: runWatch,
  demo: runDemo,
  join: runJoin,
  leave: runLeave,
  version: (argv) => {
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log("Usage: rads-node version\n\nPrints the version.");
      return Promise.resolve(0);
    }
    console.log(`rads-node ${VERSION}`);
    return Promise.resolve(0);
  },
};

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
