/**
 * Flag parsing for the benchmark and build scripts: `--help` prints the
 * script's usage, and a bad flag is one line on stderr and exit 2, never a
 * stack trace.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { flagErrorText } from "../../src/cli/args.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses Deno.args against `options`, or exits (0 for --help, 2 on error). */
export function scriptFlags<O extends Options>(
  script: string,
  usage: string,
  options: O,
): ReturnType<typeof parseArgs<{ options: O; strict: true }>>["values"] {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(usage.trim());
    Deno.exit(0);
  }
  try {
    return parseArgs({ args: Deno.args, options, strict: true }).values;
  } catch (err) {
    console.error(`${script}: ${flagErrorText(err)} (see --help)`);
    Deno.exit(2);
  }
}
