/**
 * Facts fixed at build time. A compile step (scripts/compile_bun.ts)
 * overwrites this one file; from the sources the commit is unknown.
 *
 * @module
 */

/** Short git commit the program was built from. */
export const COMMIT = "unknown";
