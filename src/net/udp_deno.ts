/**
 * UDP transport on Deno's `Deno.listenDatagram` (needs `--unstable-net`).
 *
 * @module
 */

import { formatHostPort, parseHostPort } from "../config/addr.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

/** A UDP socket bound with Deno's own API. */
export class DenoUdpTransport implements Transport {
  readonly localAddr: string;
  sendErrors = 0;
  #conn: Deno.DatagramConn;
  #closed = false;

  private constructor(conn: Deno.DatagramConn) {
    this.#conn = conn;
    const local = conn.addr as Deno.NetAddr;
    this.localAddr = formatHostPort(local.hostname, local.port);
  }

  /**
   * Binds `addr` (`host:port`). Throws Deno.errors.AddrInUse and friends,
   * which the agent reports as one line.
   */
  static bind(addr: string): DenoUdpTransport {
    const { host, port } = parseHostPort(addr, undefined, { allowZero: true });
    const conn = Deno.listenDatagram({
      hostname: host,
      port,
      transport: "udp",
    });
    return new DenoUdpTransport(conn);
  }

  /** Sends one datagram; failures are counted, never thrown. */
  send(toAddr: string, bytes: Uint8Array): void {
    if (this.#closed) return;
    try {
      const { host, port } = parseHostPort(toAddr);
      this.#conn.send(bytes, { transport: "udp", hostname: host, port })
        .catch(() => this.sendErrors += 1);
    } catch {
      this.sendErrors += 1;
    }
  }

  /** Starts the receive loop. */
  listen(handler: DatagramHandler): void {
    (async () => {
      while (!this.#closed) {
        let got: [Uint8Array, Deno.Addr];
        try {
          got = await this.#conn.receive();
        } catch {
          // The socket was closed, or the OS reported an error for an
          // earlier send (ICMP unreachable); only the first ends the loop.
          if (this.#closed) return;
          continue;
        }
        const from = got[1] as Deno.NetAddr;
        handler(got[0], formatHostPort(from.hostname, from.port));
      }
    })();
  }

  /** Closes the socket. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#conn.close();
    }
    return Promise.resolve();
  }
}
