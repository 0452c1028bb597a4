/**
 * Shared test fixtures for the wire codec: one sample of every message type
 * and a hand-rolled byte builder that can write what the encoder refuses to.
 *
 * @module
 */

import { crc32 } from "../../src/wire/crc32.ts";
import {
  FRAME_HEADER_BYTES,
  type Message,
  MESSAGE_CODES,
} from "../../src/wire/mod.ts";

const encoder = new TextEncoder();

/** One valid message of every type, with a few awkward values. */
export const SAMPLES: readonly Message[] = [
  { type: "ping", seq: 0, from: "n1", target: "n2" },
  {
    type: "ping-req",
    seq: 0xffffffff,
    from: "n1",
    target: "n3",
    targetAddr: "[fe80::1%eth0]:7946",
  },
  { type: "ack", seq: 42, from: "n2" },
  { type: "nack", seq: 43, from: "nœud-3" },
  {
    type: "alive",
    name: "web-01.example",
    incarnation: 3,
    addr: "10.0.0.7:7946",
    meta: { cpus: 8, memoryMiB: 16384, tags: { role: "edge", zone: "" } },
  },
  { type: "suspect", name: "n4", incarnation: 1, by: "n1" },
  { type: "dead", name: "n4", incarnation: 1, by: "n2" },
  { type: "left", name: "n5", incarnation: 9, by: "n5" },
  {
    type: "push-pull",
    from: "n1",
    reply: true,
    members: [
      {
        name: "n1",
        addr: "[::1]:7946",
        incarnation: 0,
        state: "alive",
        meta: { cpus: 0, memoryMiB: 0, tags: {} },
      },
      {
        name: "n9",
        addr: "localhost:1",
        incarnation: 7,
        state: "left",
        meta: { cpus: 65535, memoryMiB: 0xffffffff, tags: { a: "b" } },
      },
    ],
  },
];

/** A single byte, as a field for `message()`. */
export function u8(value: number): number[] {
  return [value & 0xff];
}

/** A big-endian 16-bit field. */
export function u16(value: number): number[] {
  return [(value >>> 8) & 0xff, value & 0xff];
}

/** A big-endian 32-bit field. */
export function u32(value: number): number[] {
  return [...u16(value >>> 16), ...u16(value & 0xffff)];
}

/** A length-prefixed string field: text is UTF-8 encoded, bytes go raw. */
export function str(value: string | number[]): number[] {
  const bytes = typeof value === "string" ? [...encoder.encode(value)] : value;
  return [bytes.length & 0xff, ...bytes];
}

/** Meta fields: cpus, memory, tag count, then the tag pairs as given. */
export function meta(tags: [string, string][], count = tags.length): number[] {
  const pairs = tags.flatMap(([key, value]) => [...str(key), ...str(value)]);
  return [...u16(0), ...u32(0), ...u8(count), ...pairs];
}

/** One message of `type` (or a raw code) with a correct body length. */
export function message(
  type: Message["type"] | number,
  ...fields: number[][]
): number[] {
  const code = typeof type === "number" ? type : MESSAGE_CODES[type];
  const body = fields.flat();
  return [code, ...u16(body.length), ...body];
}

/** A frame with a correct header and checksum around any payload bytes. */
export function frameWith(payload: ArrayLike<number>): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frame.set([0x52, 0x44, 1, 0]);
  frame.set(payload, FRAME_HEADER_BYTES);
  fixChecksum(frame);
  return frame;
}

/** Rewrites the checksum of a frame in place, after its payload changed. */
export function fixChecksum(frame: Uint8Array): void {
  const sum = crc32(frame.subarray(FRAME_HEADER_BYTES));
  new DataView(frame.buffer, frame.byteOffset).setUint32(4, sum);
}

/** A string of `n` UTF-8 bytes. */
export function ofBytes(n: number, char = "x"): string {
  return char.repeat(n);
}

/** Mulberry32: a tiny seeded PRNG, so every fuzz run is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
