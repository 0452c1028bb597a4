/**
 * The sans-IO membership core.
 *
 * @module
 */

export * from "./effects.ts";
export * from "./member.ts";
export * from "./node.ts";
export * from "./options.ts";
export type { Random } from "./probe.ts";
export * from "./stats.ts";
