/**
 * Settings from the command line of `rads-node agent`.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "./errors.ts";
import { closest } from "./_suggest.ts";
import {
  emptyLayer,
  flagName,
  kindOf,
  type Layer,
  parseIntegerText,
  put,
  putBroken,
  putTag,
  SETTING_KEYS,
  type SettingKey,
  splitList,
  splitTag,
} from "./_settings.ts";

type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** What the command line asks for. */
export interface FlagResult {
  /** `-h` or `--help` was given; nothing else was read. */
  help: boolean;
  /** `--config FILE`, when given. */
  configPath?: string;
  /** The settings the flags set. */
  layer: Layer;
}

/** One flag per setting, plus `--config` and `--help`. */
export const FLAG_SPEC: FlagSpec = (() => {
  const spec: FlagSpec = {
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  };
  for (const key of SETTING_KEYS) {
    const multiple = ["list", "commands", "tags"].includes(kindOf(key));
    spec[flagName(key)] = { type: "string", multiple };
  }
  return spec;
})();

/**
 * Reads `argv` (the arguments after `rads-node agent`). Flag syntax errors
 * throw a ConfigError at once, listing every one; bad values are left in
 * `layer.problems` to be reported with the other sources' problems.
 */
export function readFlags(argv: string[]): FlagResult {
  let values: Record<
    string,
    string | boolean | (string | boolean)[] | undefined
  >;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: FLAG_SPEC,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    const problems = flagSyntaxProblems(argv);
    throw new ConfigError(problems.length > 0 ? problems : [firstLine(err)]);
  }

  if (values.help === true) return { help: true, layer: emptyLayer() };
  const layer = emptyLayer();
  for (const key of SETTING_KEYS) {
    const value = values[flagName(key)];
    if (value !== undefined) readFlag(layer, key, value as string | string[]);
  }
  return { help: false, configPath: values.config as string, layer };
}

function readFlag(layer: Layer, key: SettingKey, value: string | string[]) {
  const origin = `--${flagName(key)}`;
  const kind = kindOf(key);
  const items = Array.isArray(value) ? value : [value];

  if (kind === "list") {
    put(layer, key, items.flatMap(splitList), origin);
  } else if (kind === "commands") {
    // One command per flag: commands may hold commas.
    put(layer, key, items, origin);
  } else if (kind === "tags") {
    for (const item of items) readTag(layer, item);
  } else if (kind === "integer") {
    const n = parseIntegerText(items[0]);
    if (n === undefined) putBroken(layer, key, origin, "an integer", items[0]);
    else put(layer, key, n, origin);
  } else {
    put(layer, key, items[0], origin);
  }
}

function readTag(layer: Layer, item: string): void {
  const tag = splitTag(item);
  if (tag) return putTag(layer, tag[0], tag[1], "--tag");

  layer.problems.push(
    `Cannot start node as --tag must be KEY=VALUE: current value is ${
      JSON.stringify(item)
    }`,
  );
}

/**
 * Every syntax problem in `argv`, found by a lenient second parse: unknown
 * flags (with a suggestion), missing values, stray arguments.
 */
function flagSyntaxProblems(argv: string[]): string[] {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: argv,
      options: FLAG_SPEC,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }));
  } catch {
    return [];
  }

  const problems: string[] = [];
  // The word after an unknown flag is most likely its value, not a stray
  // argument worth its own line.
  let afterUnknown = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      if (!afterUnknown) problems.push(strayArgument(token.value));
      afterUnknown = false;
      continue;
    }
    const problem = optionProblem(token);
    afterUnknown = problem?.startsWith("unknown") === true &&
      token.inlineValue !== true;
    if (problem) problems.push(problem);
  }
  return problems;
}

interface OptionToken {
  name: string;
  rawName: string;
  value?: string;
  inlineValue?: boolean;
}

function optionProblem(token: OptionToken): string | undefined {
  const spec = FLAG_SPEC[token.name];
  const raw = token.rawName;
  if (spec === undefined) return unknownFlag(raw);

  if (spec.type === "boolean") {
    return token.inlineValue ? `flag ${raw} takes no value` : undefined;
  }
  if (token.value === undefined) return `flag ${raw} needs a value`;

  // Strict parsing refuses a separate value that starts with "-", as it is
  // more often a forgotten value followed by the next flag.
  if (!token.inlineValue && token.value.startsWith("-")) {
    return `flag ${raw} needs a value, not ${
      JSON.stringify(token.value)
    } (write ${raw}=${token.value} if that is the value)`;
  }
  return undefined;
}

function unknownFlag(raw: string): string {
  const longFlags = Object.keys(FLAG_SPEC).map((name) => `--${name}`);
  const guess = raw.startsWith("--") ? closest(raw, longFlags) : undefined;
  return guess === undefined
    ? `unknown flag ${raw} (see rads-node agent --help)`
    : `unknown flag ${raw} (did you mean ${guess}?)`;
}

function strayArgument(value: string): string {
  return `unexpected argument ${
    JSON.stringify(value)
  } (rads-node agent takes flags only)`;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return `cannot read flags: ${msg.split("\n")[0]}`;
}
