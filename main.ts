/**
 * Entry point: runs one rads-node command and exits with its code. Errors
 * reach the user as one line, never as a stack trace.
 *
 * @module
 */

import process from "node:process";
import { run } from "./src/cli/main.ts";

/** Exit code for an error: its own, else 1. */
function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown })?.exitCode;
  if (typeof code === "number") return code;
  return (err as Error)?.name === "ConfigError" ? 2 : 1;
}

async function main(): Promise<void> {
  // A bug in a background task must not print a stack trace or take the
  // node down silently: report it in one line and keep running.
  process.on("unhandledRejection", (reason) => {
    const why = reason instanceof Error ? reason.message : String(reason);
    console.error(`rads-node: internal error: ${why.split("\n")[0]}`);
  });

  let code: number;
  try {
    code = await run(process.argv.slice(2), { ...process.env });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    for (const line of msg.split("\n")) console.error(`rads-node: ${line}`);
    code = exitCodeOf(err);
  }
  process.exit(code);
}

if (import.meta.main) main();
