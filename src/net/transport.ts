/**
 * The contract every datagram transport meets.
 *
 * @module
 */

/** Called for each datagram received, with the sender's `host:port`. */
export type DatagramHandler = (bytes: Uint8Array, fromAddr: string) => void;

/** A bound datagram socket. */
export interface Transport {
  /** The local address actually bound, as `host:port` or `[v6]:port`. */
  readonly localAddr: string;
  /**
   * Sends one datagram. Never throws: a failed send is counted and, like a
   * lost packet, left to the protocol to recover from.
   */
  send(toAddr: string, bytes: Uint8Array): void;
  /** Starts delivering datagrams to `handler` (once). */
  listen(handler: DatagramHandler): void;
  /** Sends that failed locally since the start. */
  readonly sendErrors: number;
  /** Stops receiving and releases the socket. */
  close(): Promise<void>;
}
