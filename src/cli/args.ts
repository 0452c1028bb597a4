/**
 * Flag parsing shared by the client commands, with one-line errors.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";

/** Options in node:util parseArgs form. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positional arguments. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` strictly. Unknown flags and missing values become a
 * UsageError that names the command.
 */
export function parseFlags(
  command: string,
  argv: string[],
  options: FlagSpec,
  allowPositionals = false,
): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals,
    });
    return { values: values as Parsed["values"], positionals };
  } catch (err) {
    throw new UsageError(`${command}: ${flagErrorText(err)}`);
  }
}

/** Shortens node:util's parse errors to one plain line. */
export function flagErrorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const unknown = msg.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown flag ${unknown[1]}`;
  const positional = msg.match(/Unexpected argument '([^']+)'/);
  if (positional) return `unexpected argument '${positional[1]}'`;
  const missing = msg.match(/Option '([^']+)' argument missing/);
  if (missing) return `flag ${flagName(missing[1])} needs a value`;
  const ambiguous = msg.match(/Option '([^']+)' argument is ambiguous/);
  if (ambiguous) {
    const flag = flagName(ambiguous[1]);
    return `flag ${flag} needs a value; for one that starts with "-", ` +
      `write ${flag}=VALUE`;
  }
  return msg.split("\n")[0];
}

/** "-n, --nodes <value>" as node:util names it -> "--nodes". */
function flagName(described: string): string {
  return described.split(",").pop()!.replace(/<[^>]*>/, "").trim();
}
