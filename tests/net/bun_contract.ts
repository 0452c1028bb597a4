/**
 * The transport contract under Bun: Bun.udpSocket, node:dgram and memory.
 * Run with: npx -y bun@1.4.5 test ./tests/net/bun_contract.ts
 */

// @ts-ignore: bun:test exists only under Bun.
import { test } from "bun:test";
import { MemoryNetwork } from "../../src/net/memory.ts";
import { BunUdpTransport } from "../../src/net/udp_bun.ts";
import { NodeUdpTransport } from "../../src/net/udp_node.ts";
import { transportContract } from "./_contract.ts";

transportContract(test, {
  memory: () => {
    const net = new MemoryNetwork();
    return Promise.resolve({ a: net.bind(), b: net.bind() });
  },
  "bun udp (IPv4)": async () => ({
    a: await BunUdpTransport.bind("127.0.0.1:0"),
    b: await BunUdpTransport.bind("127.0.0.1:0"),
  }),
  "bun udp (IPv6)": async () => ({
    a: await BunUdpTransport.bind("[::1]:0"),
    b: await BunUdpTransport.bind("[::1]:0"),
  }),
  "node:dgram on bun": async () => ({
    a: await NodeUdpTransport.bind("127.0.0.1:0"),
    b: await NodeUdpTransport.bind("127.0.0.1:0"),
  }),
});
