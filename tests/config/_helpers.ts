import assert from "node:assert/strict";
import {
  type AgentConfig,
  ConfigError,
  loadAgentConfig,
} from "../../src/config/mod.ts";

/** Environment variables for a test. */
export type Env = Record<string, string | undefined>;

/** Files a test can read, by path; other paths are missing. */
export type Files = Record<string, string>;

/** A readTextFile that serves `files` and fails as Deno does otherwise. */
export function fakeReader(files: Files): (path: string) => string {
  return (path) => {
    if (path in files) return files[path];
    const err = new Error(`No such file or directory (os error 2): ${path}`);
    err.name = "NotFound";
    throw err;
  };
}

/** Loads a configuration that must be valid. */
export function load(
  argv: string[],
  env: Env = {},
  files: Files = {},
): AgentConfig {
  const result = loadAgentConfig({
    argv,
    env,
    readTextFile: fakeReader(files),
    hostname: "host-a",
  });
  assert.equal(result.help, false);
  return (result as { config: AgentConfig }).config;
}

/** The problems of a configuration that must be refused. */
export function problemsOf(
  argv: string[],
  env: Env = {},
  files: Files = {},
): readonly string[] {
  try {
    load(argv, env, files);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${err}`);
    assert.equal(err.message, err.problems.join("\n"));
    return err.problems;
  }
  assert.fail("expected a ConfigError");
}

/** Asserts that one problem line contains every one of `parts`. */
export function assertProblem(
  problems: readonly string[],
  ...parts: string[]
): void {
  const found = problems.some((p) => parts.every((part) => p.includes(part)));
  assert.ok(
    found,
    `no problem contains ${JSON.stringify(parts)} in:\n${problems.join("\n")}`,
  );
}

/**
 * The yaml package reads LOG_TOKENS and LOG_STREAM as it parses, which
 * needs env permission; without it every YAML test would fail the same way.
 */
export const YAML_CAN_PARSE = ["LOG_TOKENS", "LOG_STREAM"].every((variable) =>
  Deno.permissions.querySync({ name: "env", variable }).state === "granted"
);

/** A test that parses YAML: skipped, not failed, without env permission. */
export function yamlTest(name: string, fn: () => void): void {
  Deno.test({ name, ignore: !YAML_CAN_PARSE, fn });
}
