/**
 * Named sets of protocol timings: the base the individual timing settings
 * override.
 *
 * @module
 */

import {
  type CoreOptions,
  defaultCoreOptions,
  lanProfile,
} from "../core/options.ts";

/** A named base set of core timings. */
export type ProfileName = "default" | "lan";

/** The profiles, the default first. */
export const PROFILES: readonly ProfileName[] = ["default", "lan"];

/**
 * The core options of `profile`: `lan` is HashiCorp memberlist's LAN
 * timings (see lanProfile()); an unknown name gives the defaults, and
 * validation reports it.
 */
export function profileCoreOptions(profile: string): CoreOptions {
  return profile === "lan" ? lanProfile() : defaultCoreOptions();
}
