/**
 * One contract, run against every transport this runtime can use.
 */

import assert from "node:assert/strict";
import { MemoryNetwork } from "../../src/net/memory.ts";
import type { Transport } from "../../src/net/transport.ts";
import { DenoUdpTransport } from "../../src/net/udp_deno.ts";

interface Pair {
  a: Transport;
  b: Transport;
}

const TRANSPORTS: Record<string, () => Pair> = {
  memory: () => {
    const net = new MemoryNetwork();
    return { a: net.bind(), b: net.bind() };
  },
  "deno udp (IPv4)": () => ({
    a: DenoUdpTransport.bind("127.0.0.1:0"),
    b: DenoUdpTransport.bind("127.0.0.1:0"),
  }),
  "deno udp (IPv6)": () => ({
    a: DenoUdpTransport.bind("[::1]:0"),
    b: DenoUdpTransport.bind("[::1]:0"),
  }),
};

function nextDatagram(t: Transport): Promise<[Uint8Array, string]> {
  return new Promise((resolve) =>
    t.listen((bytes, from) => resolve([bytes, from]))
  );
}

for (const [kind, make] of Object.entries(TRANSPORTS)) {
  Deno.test(`${kind} transport delivers a datagram with the sender's address`, async () => {
    const { a, b } = make();
    try {
      const got = nextDatagram(b);
      a.send(b.localAddr, new Uint8Array([1, 2, 3]));
      const [bytes, from] = await got;
      assert.deepEqual([...bytes], [1, 2, 3]);
      assert.equal(from, a.localAddr);
    } finally {
      await a.close();
      await b.close();
    }
  });

  Deno.test(`${kind} transport reports a concrete bound port`, async () => {
    const { a, b } = make();
    try {
      assert.match(a.localAddr, /:\d+$/);
      assert.doesNotMatch(a.localAddr, /:0$/);
    } finally {
      await a.close();
      await b.close();
    }
  });

  Deno.test(`${kind} transport never throws on a bad destination or after close`, async () => {
    const { a, b } = make();
    a.send("not an address", new Uint8Array([1]));
    a.send("127.0.0.1:9", new Uint8Array([1]));
    await a.close();
    await b.close();
    a.send(b.localAddr, new Uint8Array([1]));
    await a.close();
  });
}
