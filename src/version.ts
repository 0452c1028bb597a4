/**
 * The version of rads-node and the commit it was built from.
 *
 * @module
 */

/** The version of rads-node, kept in step with deno.json. */
export const VERSION = "0.1.0";

export { COMMIT } from "./_build_info.ts";
