/**
 * `rads-node join` and `rads-node leave`: ask the local agent to act.
 *
 * @module
 */

import { parseFlags } from "./args.ts";
import {
  ControlClient,
  controlToken,
  DEFAULT_CONTROL,
  TOKEN_USAGE,
} from "./client.ts";
import { UsageError } from "./errors.ts";

/** Help for `rads-node join`. */
export const JOIN_USAGE =
  `Usage: rads-node join [--control HOST:PORT] [--control-token TOKEN] HOST:PORT...

Asks the local agent to join a cluster through the given members.

Options:
  --control HOST:PORT  control API of the agent (default ${DEFAULT_CONTROL},
                       or RADS_CONTROL)
${TOKEN_USAGE}
  -h, --help           show this help
`;

/** Help for `rads-node leave`. */
export const LEAVE_USAGE =
  `Usage: rads-node leave [--control HOST:PORT] [--control-token TOKEN]

Asks the local agent to leave the cluster gracefully and exit. The others
record it as left, not dead.

Options:
  --control HOST:PORT  control API of the agent (default ${DEFAULT_CONTROL},
                       or RADS_CONTROL)
${TOKEN_USAGE}
  -h, --help           show this help
`;

const FLAGS = {
  control: { type: "string" },
  "control-token": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `join`; returns the exit code. */
export async function runJoin(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values, positionals } = parseFlags("join", argv, FLAGS, true);
  if (values.help) {
    console.log(JOIN_USAGE);
    return 0;
  }
  const addrs = positionals.flatMap((p) => p.split(",")).filter((a) => a);
  if (addrs.length === 0) {
    throw new UsageError("join: give at least one HOST:PORT to join through");
  }

  const client = clientFor(values, env);
  const { joining } = await client.join(addrs);
  console.log(`joining through ${joining.join(", ")}`);
  return 0;
}

/** Runs `leave`; returns the exit code. */
export async function runLeave(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = parseFlags("leave", argv, FLAGS);
  if (values.help) {
    console.log(LEAVE_USAGE);
    return 0;
  }
  await clientFor(values, env).leave();
  console.log("leaving the cluster");
  return 0;
}

function clientFor(
  values: Record<string, unknown>,
  env: Record<string, string | undefined>,
): ControlClient {
  const addr = typeof values.control === "string" ? values.control : undefined;
  return new ControlClient(
    addr ?? env.RADS_CONTROL ?? DEFAULT_CONTROL,
    controlToken(values["control-token"], env),
  );
}
