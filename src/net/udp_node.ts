/**
 * UDP transport on `node:dgram`: for Node, and for Bun where its own socket
 * is unavailable.
 *
 * @module
 */

import dgram from "node:dgram";
import { isIP } from "node:net";
import { formatHostPort, parseHostPort } from "../config/addr.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

/** A UDP socket from node:dgram. */
export class NodeUdpTransport implements Transport {
  readonly localAddr: string;
  sendErrors = 0;
  #sock: dgram.Socket;
  #closed = false;

  private constructor(sock: dgram.Socket) {
    this.#sock = sock;
    const a = sock.address();
    this.localAddr = formatHostPort(a.address, a.port);
  }

  /** Binds `addr`; rejects with the system error (EADDRINUSE, …). */
  static bind(addr: string): Promise<NodeUdpTransport> {
    const { host, port } = parseHostPort(addr, undefined, { allowZero: true });
    const sock = dgram.createSocket({
      type: isIP(host) === 6 ? "udp6" : "udp4",
      ipv6Only: isIP(host) === 6,
    });
    return new Promise((resolve, reject) => {
      sock.once("error", reject);
      sock.bind(port, host, () => {
        sock.off("error", reject);
        // Errors after binding (ICMP reports of earlier sends) are counted.
        sock.on("error", () => {});
        resolve(new NodeUdpTransport(sock));
      });
    });
  }

  /** Sends one datagram; failures are counted, never thrown. */
  send(toAddr: string, bytes: Uint8Array): void {
    if (this.#closed) return;
    try {
      const { host, port } = parseHostPort(toAddr);
      this.#sock.send(bytes, port, host, (err) => {
        if (err) this.sendErrors += 1;
      });
    } catch {
      this.sendErrors += 1;
    }
  }

  /** Starts delivering datagrams to `handler`. */
  listen(handler: DatagramHandler): void {
    this.#sock.on("message", (msg, rinfo) => {
      const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
      handler(bytes, formatHostPort(rinfo.address, rinfo.port));
    });
  }

  /** Closes the socket. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => this.#sock.close(() => resolve()));
  }
}
