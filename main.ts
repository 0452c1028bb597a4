/**
 * Entry point: runs one rads-node command and exits with its code. Errors
 * reach the user as one line, never as a stack trace.
 *
 * @module
 */

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
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    const why = e.reason instanceof Error ? e.reason.message : String(e.reason);
    console.error(`rads-node: internal error: ${why.split("\n")[0]}`);
  });

  let code: number;
  try {
    code = await run(Deno.args, Deno.env.toObject());
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    for (const line of msg.split("\n")) console.error(`rads-node: ${line}`);
    code = exitCodeOf(err);
  }
  Deno.exit(code);
}

if (import.meta.main) main();
