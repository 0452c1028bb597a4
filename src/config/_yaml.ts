/**
 * Settings from a YAML config file with snake_case keys.
 *
 * @module
 */

import { LineCounter, parseDocument } from "yaml";
import { closest } from "./_suggest.ts";
import {
  describeValue,
  emptyLayer,
  kindOf,
  type Layer,
  put,
  putBroken,
  putTag,
  SETTING_KEYS,
  type SettingKey,
  splitList,
  yamlName,
} from "./_settings.ts";

const KEY_BY_YAML = new Map(SETTING_KEYS.map((k) => [yamlName(k), k]));

/**
 * Reads the file at `path` with `readTextFile`. Every problem (unreadable
 * file, malformed YAML, unknown key, wrong type) becomes a line in
 * `layer.problems`; nothing throws.
 */
export function readYamlFile(
  path: string,
  readTextFile: (path: string) => string,
): Layer {
  const layer = emptyLayer();
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    const why = describeReadError(err);
    layer.problems.push(`cannot read config file ${path}: ${why}`);
    return layer;
  }

  const parsed = parseYaml(text, path);
  if ("problem" in parsed) {
    layer.problems.push(parsed.problem);
  } else if (parsed.data !== null && parsed.data !== undefined) {
    readMapping(layer, parsed.data, path);
  }
  return layer;
}

/** The document as plain data, or the one-line reason it is not YAML. */
function parseYaml(
  text: string,
  path: string,
): { data: unknown } | { problem: string } {
  const lineCounter = new LineCounter();
  try {
    const doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    });
    const [err] = doc.errors;
    if (err) {
      const { line } = lineCounter.linePos(err.pos[0]);
      const reason = sentence(err.message);
      return {
        problem: `cannot parse config file ${path}: line ${line}: ${reason}`,
      };
    }
    // Aliases resolve here; a missing anchor or an alias bomb throws.
    return { data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    return { problem: `cannot parse config file ${path}: ${parseError(err)}` };
  }
}

function readMapping(layer: Layer, data: unknown, path: string): void {
  if (typeof data !== "object" || Array.isArray(data) || data === null) {
    layer.problems.push(
      `Cannot start node as config file ${path} must hold a mapping of keys to values: current value is ${
        describeValue(data)
      }`,
    );
    return;
  }

  for (const [name, value] of Object.entries(data)) {
    const key = KEY_BY_YAML.get(name);
    if (key === undefined) {
      layer.problems.push(unknownKey(name, path));
    } else if (value !== null && value !== undefined) {
      // An empty value (`advertise:`) leaves the setting unset.
      readValue(layer, key, value, path);
    }
  }
}

function readValue(
  layer: Layer,
  key: SettingKey,
  value: unknown,
  path: string,
): void {
  const origin = `${yamlName(key)} in ${path}`;
  const kind = kindOf(key);
  if (kind === "list" || kind === "commands") {
    return readList(layer, key, value, origin);
  }
  if (kind === "tags") return readTags(layer, value, path);

  const ok = kind === "integer"
    ? typeof value === "number"
    : typeof value === "string";
  if (!ok) {
    const expected = kind === "integer" ? "an integer" : "a string";
    return putBroken(layer, key, origin, expected, value);
  }
  put(layer, key, value as string & number, origin);
}

function readList(
  layer: Layer,
  key: SettingKey,
  value: unknown,
  origin: string,
): void {
  const items = typeof value === "string" ? [value] : value;
  if (!Array.isArray(items) || !items.every((i) => typeof i === "string")) {
    const expected = "a list of strings (or one string)";
    return putBroken(layer, key, origin, expected, value);
  }
  // A comma list splits; a command may hold commas, so it never does.
  const list = kindOf(key) === "list" ? items.flatMap(splitList) : items;
  put(layer, key, list, origin);
}

function readTags(layer: Layer, value: unknown, path: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const expected = "a mapping of KEY: VALUE";
    return putBroken(layer, "tags", `tags in ${path}`, expected, value);
  }

  const scalar = ["string", "number", "boolean"];
  for (const [k, v] of Object.entries(value)) {
    const origin = `tags.${k} in ${path}`;
    if (scalar.includes(typeof v)) putTag(layer, k, String(v), origin);
    else {
      layer.problems.push(
        `Cannot start node as ${origin} must be a string, number or boolean: current value is ${
          v === null ? "empty" : describeValue(v)
        }`,
      );
    }
  }
}

function unknownKey(name: string, path: string): string {
  const guess = closest(name, [...KEY_BY_YAML.keys()]);
  const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
  return `unknown key ${JSON.stringify(name)} in ${path}${hint}`;
}

/** yaml's messages, lower-cased to read as the rest of a line. */
function sentence(message: string): string {
  const line = message.split("\n")[0];
  return line.charAt(0).toLowerCase() + line.slice(1);
}

function parseError(err: unknown): string {
  const name = (err as Error)?.name;
  // The yaml package reads LOG_TOKENS and LOG_STREAM while it parses.
  if (name === "NotCapable" || name === "PermissionDenied") {
    return "the YAML parser needs --allow-env (at least --allow-env=LOG_TOKENS,LOG_STREAM)";
  }
  return sentence(err instanceof Error ? err.message : String(err));
}

/**
 * Why a file could not be read, in a few words; Deno and Node name the
 * same failures differently.
 */
export function describeReadError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === "NotFound" || e?.code === "ENOENT") return "no such file";
  if (e?.name === "PermissionDenied" || e?.code === "EACCES") {
    return "permission denied";
  }
  if (e?.name === "NotCapable") return "not allowed (run with --allow-read)";
  if (e?.name === "IsADirectory" || e?.code === "EISDIR") {
    return "it is a directory";
  }
  return sentence(e?.message ?? String(err));
}
