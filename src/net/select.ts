/**
 * Picks the UDP transport for the runtime we run on: Deno's own API on
 * Deno, Bun's own on Bun, node:dgram elsewhere.
 *
 * @module
 */

import type { Transport } from "./transport.ts";
import { BunUdpTransport, isBun } from "./udp_bun.ts";
import { DenoUdpTransport } from "./udp_deno.ts";
import { NodeUdpTransport } from "./udp_node.ts";

/** Name of the runtime, for logs and `version`. */
export function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.version ?? "unknown"}`;
}

/** Binds a UDP socket at `addr` with the best transport for this runtime. */
export async function bindUdp(addr: string): Promise<Transport> {
  if ("Deno" in globalThis) return DenoUdpTransport.bind(addr);
  if (isBun()) return await BunUdpTransport.bind(addr);
  return await NodeUdpTransport.bind(addr);
}
