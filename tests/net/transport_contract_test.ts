/**
 * The transport contract under Deno: memory, Deno UDP and node:dgram.
 * (tests/net/bun_contract.ts runs the same contract under Bun.)
 */

import { MemoryNetwork } from "../../src/net/memory.ts";
import { DenoUdpTransport } from "../../src/net/udp_deno.ts";
import { NodeUdpTransport } from "../../src/net/udp_node.ts";
import { transportContract } from "./_contract.ts";

transportContract((name, fn) => Deno.test(name, fn), {
  memory: () => {
    const net = new MemoryNetwork();
    return Promise.resolve({ a: net.bind(), b: net.bind() });
  },
  "deno udp (IPv4)": () =>
    Promise.resolve({
      a: DenoUdpTransport.bind("127.0.0.1:0"),
      b: DenoUdpTransport.bind("127.0.0.1:0"),
    }),
  "deno udp (IPv6)": () =>
    Promise.resolve({
      a: DenoUdpTransport.bind("[::1]:0"),
      b: DenoUdpTransport.bind("[::1]:0"),
    }),
  "node:dgram on deno": async () => ({
    a: await NodeUdpTransport.bind("127.0.0.1:0"),
    b: await NodeUdpTransport.bind("127.0.0.1:0"),
  }),
});
