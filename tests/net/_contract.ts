/**
 * The transport contract: what every transport must do, written once and
 * registered with whichever test runner the runtime has.
 */

import type { Transport } from "../../src/net/transport.ts";

/** A way to bind two transports of one kind. */
export type PairFactory = () => Promise<{ a: Transport; b: Transport }>;

/** Registers one test with the runtime's runner. */
export type Register = (name: string, fn: () => Promise<void>) => void;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`contract broken: ${what}`);
}

function nextDatagram(t: Transport): Promise<[Uint8Array, string]> {
  return new Promise((resolve) =>
    t.listen((bytes, from) => resolve([bytes, from]))
  );
}

/** Registers the contract for every transport kind in `kinds`. */
export function transportContract(
  register: Register,
  kinds: Record<string, PairFactory>,
): void {
  for (const [kind, make] of Object.entries(kinds)) {
    register(
      `${kind} transport delivers a datagram with the sender's address`,
      async () => {
        const { a, b } = await make();
        try {
          const got = nextDatagram(b);
          a.send(b.localAddr, new Uint8Array([1, 2, 3]));
          const [bytes, from] = await got;
          check([...bytes].join() === "1,2,3", "bytes arrive unchanged");
          check(from === a.localAddr, `sender is ${a.localAddr}, got ${from}`);
        } finally {
          await a.close();
          await b.close();
        }
      },
    );

    register(`${kind} transport reports a concrete bound port`, async () => {
      const { a, b } = await make();
      try {
        check(/:\d+$/.test(a.localAddr), "address ends in a port");
        check(!/:0$/.test(a.localAddr), "port is not 0");
      } finally {
        await a.close();
        await b.close();
      }
    });

    register(
      `${kind} transport never throws on a bad destination or after close`,
      async () => {
        const { a, b } = await make();
        a.send("not an address", new Uint8Array([1]));
        a.send("127.0.0.1:9", new Uint8Array([1]));
        await a.close();
        await b.close();
        a.send(b.localAddr, new Uint8Array([1]));
        await a.close();
      },
    );

    register(
      `${kind} transport survives sending to a port nobody listens on`,
      async () => {
        const { a, b } = await make();
        try {
          // A dead peer's port answers with ICMP unreachable, which some
          // socket APIs report as an error on a later receive.
          const closed = await make();
          const gone = closed.a.localAddr;
          await closed.a.close();
          await closed.b.close();
          for (let i = 0; i < 5; i++) {
            a.send(gone, new Uint8Array([1]));
            await new Promise((r) => setTimeout(r, 20));
          }
          const got = nextDatagram(a);
          b.send(a.localAddr, new Uint8Array([7]));
          const [bytes] = await got;
          check(bytes[0] === 7, "still receives after errors");
        } finally {
          await a.close();
          await b.close();
        }
      },
    );

    register(
      `${kind} transport keeps a burst of datagrams intact and in one piece`,
      async () => {
        const { a, b } = await make();
        try {
          const seen = new Set<number>();
          const all = new Promise<void>((resolve) => {
            b.listen((bytes) => {
              if (bytes.length === 1200 && bytes[0] === bytes[1199]) {
                seen.add(bytes[0]);
              }
              if (seen.size === 50) resolve();
            });
          });
          for (let i = 0; i < 50; i++) {
            a.send(b.localAddr, new Uint8Array(1200).fill(i));
          }
          await Promise.race([
            all,
            new Promise((r) => setTimeout(r, 2000)),
          ]);
          check(seen.size >= 45, `only ${seen.size} of 50 datagrams arrived`);
        } finally {
          await a.close();
          await b.close();
        }
      },
    );
  }
}
