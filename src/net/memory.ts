/**
 * An in-memory datagram network for tests: delivers between transports in
 * the same process, can drop everything to an address, and counts bytes.
 *
 * @module
 */

import type { DatagramHandler, Transport } from "./transport.ts";

/** A set of in-memory transports that can reach each other. */
export class MemoryNetwork {
  #handlers = new Map<string, DatagramHandler>();
  #blocked = new Set<string>();
  #nextPort = 1;
  /** Datagrams handed to the network. */
  sent = 0;
  /** Bytes handed to the network. */
  bytes = 0;

  /** A new transport bound at `addr` (or a fresh one). */
  bind(addr?: string): MemoryTransport {
    const localAddr = addr ?? `127.0.0.1:${this.#nextPort++}`;
    if (this.#handlers.has(localAddr)) {
      throw new Error(`address in use: ${localAddr}`);
    }
    return new MemoryTransport(this, localAddr);
  }

  /** Silently drops every datagram to or from `addr` until unblocked. */
  block(addr: string): void {
    this.#blocked.add(addr);
  }

  /** Undoes block(). */
  unblock(addr: string): void {
    this.#blocked.delete(addr);
  }

  /** @internal */
  register(addr: string, handler: DatagramHandler | undefined): void {
    if (handler) this.#handlers.set(addr, handler);
    else this.#handlers.delete(addr);
  }

  /** @internal Delivers on a later turn, as a real socket would. */
  deliver(from: string, to: string, bytes: Uint8Array): void {
    this.sent += 1;
    this.bytes += bytes.length;
    if (this.#blocked.has(from) || this.#blocked.has(to)) return;

    const copy = bytes.slice();
    queueMicrotask(() => this.#handlers.get(to)?.(copy, from));
  }
}

/** One endpoint of a MemoryNetwork. */
export class MemoryTransport implements Transport {
  readonly localAddr: string;
  sendErrors = 0;
  #net: MemoryNetwork;
  #closed = false;

  /** Use MemoryNetwork.bind(). */
  constructor(net: MemoryNetwork, localAddr: string) {
    this.#net = net;
    this.localAddr = localAddr;
    net.register(localAddr, () => {});
  }

  /** Sends one datagram through the network. */
  send(toAddr: string, bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#net.deliver(this.localAddr, toAddr, bytes);
  }

  /** Starts delivering datagrams to `handler`. */
  listen(handler: DatagramHandler): void {
    this.#net.register(this.localAddr, handler);
  }

  /** Stops receiving. */
  close(): Promise<void> {
    this.#closed = true;
    this.#net.register(this.localAddr, undefined);
    return Promise.resolve();
  }
}
