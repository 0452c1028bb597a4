/**
 * UDP transport on Bun's own `Bun.udpSocket`, faster than node:dgram there.
 *
 * @module
 */

import { formatHostPort, parseHostPort } from "../config/addr.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

/** The part of Bun's socket API this transport uses. */
interface BunUdpSocket {
  readonly port: number;
  readonly address: { address: string; port: number };
  send(data: Uint8Array, port: number, address: string): boolean;
  close(): void;
}

interface BunGlobal {
  udpSocket(options: {
    hostname: string;
    port: number;
    socket: {
      data(s: unknown, buf: Uint8Array, port: number, addr: string): void;
      error(s: unknown, err: Error): void;
    };
  }): Promise<BunUdpSocket>;
}

/** Whether this runtime is Bun. */
export function isBun(): boolean {
  return typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
}

/** A UDP socket bound with Bun's API. */
export class BunUdpTransport implements Transport {
  readonly localAddr: string;
  sendErrors = 0;
  #sock: BunUdpSocket;
  #handler: DatagramHandler | undefined;
  #closed = false;

  private constructor(sock: BunUdpSocket) {
    this.#sock = sock;
    this.localAddr = formatHostPort(sock.address.address, sock.port);
  }

  /** Binds `addr`; rejects with the system error (EADDRINUSE, …). */
  static async bind(addr: string): Promise<BunUdpTransport> {
    const { host, port } = parseHostPort(addr, undefined, { allowZero: true });
    const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
    // The socket exists before the transport, so route through a box.
    const box: {
      deliver?: (buf: Uint8Array, from: string) => void;
      sendError?: () => void;
    } = {};
    const sock = await bun.udpSocket({
      hostname: host,
      port,
      socket: {
        data(_s, buf, fromPort, fromAddr) {
          box.deliver?.(buf, formatHostPort(fromAddr, fromPort));
        },
        // The kernel reports an ICMP "port unreachable" for an earlier send
        // (a peer that died) as a socket error; without this handler Bun
        // treats it as uncaught and the process exits.
        error() {
          box.sendError?.();
        },
      },
    });
    const transport = new BunUdpTransport(sock);
    box.deliver = (buf, from) => transport.#deliver(buf, from);
    box.sendError = () => transport.sendErrors += 1;
    return transport;
  }

  /** Sends one datagram; failures are counted, never thrown. */
  send(toAddr: string, bytes: Uint8Array): void {
    if (this.#closed) return;
    try {
      const { host, port } = parseHostPort(toAddr);
      if (!this.#sock.send(bytes, port, host)) this.sendErrors += 1;
    } catch {
      this.sendErrors += 1;
    }
  }

  /** Starts delivering datagrams to `handler`. */
  listen(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  /** Closes the socket. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#sock.close();
    }
    return Promise.resolve();
  }

  #deliver(buf: Uint8Array, from: string): void {
    if (!this.#closed) this.#handler?.(buf, from);
  }
}
