/**
 * Errors the CLI reports as one line, with the exit code they map to.
 *
 * @module
 */

/** Bad flags or arguments: exit code 2. */
export class UsageError extends Error {
  /** Exit code for this error. */
  readonly exitCode = 2;
}

/** Something failed at run time (port in use, agent unreachable): exit 1. */
export class RuntimeError extends Error {
  /** Exit code for this error. */
  readonly exitCode = 1;
}
