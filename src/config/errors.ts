/**
 * The error bad configuration raises.
 *
 * @module
 */

/**
 * Configuration the agent cannot start with. The message holds one line
 * per problem; `problems` holds the same lines. The CLI prints them without
 * a stack and exits with `exitCode`.
 */
export class ConfigError extends Error {
  /** Exit code for bad flags or configuration. */
  readonly exitCode = 2;
  /** One line per problem, in the order found. */
  readonly problems: readonly string[];

  /** An error listing `problems`, one per line. */
  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
    this.problems = [...problems];
  }
}
