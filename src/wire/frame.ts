/**
 * Frames: the datagram around one or more encoded messages.
 *
 * Layout, big endian:
 *
 * | offset | size | field                                    |
 * | ------ | ---- | ---------------------------------------- |
 * | 0      | 2    | magic `"RD"` (0x52 0x44)                 |
 * | 2      | 1    | protocol version, 1                      |
 * | 3      | 1    | flags, 0 (none defined yet)              |
 * | 4      | 4    | CRC-32 of every byte from offset 8 on    |
 * | 8      | ...  | messages: type u8, length u16, body      |
 *
 * @module
 */

import {
  decodeBody,
  encodeMessage,
  MESSAGE_HEADER_BYTES,
  MESSAGE_TYPES,
} from "./codec.ts";
import { crc32 } from "./crc32.ts";
import { ByteReader } from "./_bytes.ts";
import { type Message, WIRE_LIMITS } from "./messages.ts";

/** Bytes before the first message: magic, version, flags and checksum. */
export const FRAME_HEADER_BYTES = 8;

/** The protocol version this code writes and the only one it reads. */
export const PROTOCOL_VERSION = 1;

const MAGIC = [0x52, 0x44] as const;

/** Every reason a datagram can be dropped, in the order they are checked. */
export const DROP_REASONS = [
  "oversized",
  "too-short",
  "bad-magic",
  "bad-version",
  "bad-checksum",
  "unknown-type",
  "malformed",
] as const;

/** Why a datagram was dropped; count drops by it. */
export type DropReason = typeof DROP_REASONS[number];

/** What `decodeFrame` makes of a datagram. */
export type DecodeResult =
  | { ok: true; messages: Message[] }
  | { ok: false; reason: DropReason };

/**
 * Wraps already-encoded messages (from `encodeMessage`) in a frame header
 * and checksum.
 *
 * @throws {RangeError} if `parts` is empty, a part is not one encoded
 * message, or the frame would exceed `WIRE_LIMITS.datagramBytes`.
 */
export function buildFrame(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 0) {
    throw new RangeError(
      "Cannot build frame as it must carry at least one message: current count is 0",
    );
  }
  const size = parts.reduce(
    (sum, part, i) => sum + checkedPartBytes(part, i),
    FRAME_HEADER_BYTES,
  );
  if (size > WIRE_LIMITS.datagramBytes) {
    throw new RangeError(
      `Cannot build frame as it must be at most ${WIRE_LIMITS.datagramBytes} bytes: current size is ${size}`,
    );
  }

  const frame = new Uint8Array(size);
  frame.set([MAGIC[0], MAGIC[1], PROTOCOL_VERSION, 0]);
  let at = FRAME_HEADER_BYTES;
  for (const part of parts) {
    frame.set(part, at);
    at += part.length;
  }

  // The checksum goes in last, as it covers everything after the header.
  writeU32(frame, 4, crc32(frame.subarray(FRAME_HEADER_BYTES)));
  return frame;
}

/**
 * Encodes messages into one frame.
 *
 * @throws {RangeError} as `encodeMessage` and `buildFrame` do.
 */
export function encodeFrame(messages: Message[]): Uint8Array {
  return buildFrame(messages.map(encodeMessage));
}

/**
 * Decodes a datagram into its messages, or says why it must be dropped.
 * Never throws, whatever the bytes; every limit in `WIRE_LIMITS` is checked.
 */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  const reason = checkHeader(bytes);
  if (reason !== undefined) return { ok: false, reason };

  return decodeMessages(bytes.subarray(FRAME_HEADER_BYTES));
}

function checkHeader(bytes: Uint8Array): DropReason | undefined {
  // Cheap checks first: size, then the fixed bytes, then the checksum.
  if (bytes.length > WIRE_LIMITS.datagramBytes) return "oversized";
  if (bytes.length < FRAME_HEADER_BYTES + MESSAGE_HEADER_BYTES) {
    return "too-short";
  }
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) return "bad-magic";
  if (bytes[2] !== PROTOCOL_VERSION) return "bad-version";

  const payload = bytes.subarray(FRAME_HEADER_BYTES);
  if (readU32(bytes, 4) !== crc32(payload)) return "bad-checksum";

  // No flag is defined yet, so a set bit asks for something we cannot do.
  if (bytes[3] !== 0) return "malformed";
  return undefined;
}

function decodeMessages(payload: Uint8Array): DecodeResult {
  const r = new ByteReader(payload);
  const messages: Message[] = [];
  while (r.offset < payload.length) {
    // A message header cut short is trailing junk.
    const code = r.u8();
    const length = r.u16();
    if (!r.ok) return { ok: false, reason: "malformed" };

    const type = MESSAGE_TYPES.get(code);
    if (type === undefined) return { ok: false, reason: "unknown-type" };

    // `bytes` checks that `length` bytes exist before taking a view of them.
    const body = r.bytes(length);
    const message = r.ok ? decodeBody(type, body) : undefined;
    if (message === undefined) return { ok: false, reason: "malformed" };
    messages.push(message);
  }
  return { ok: true, messages };
}

function checkedPartBytes(part: Uint8Array, index: number): number {
  // A part must be exactly one message, as `encodeMessage` returns it.
  const bodyBytes = part.length - MESSAGE_HEADER_BYTES;
  if (bodyBytes < 0 || readU16(part, 1) !== bodyBytes) {
    throw new RangeError(
      `Cannot build frame as parts[${index}] must be one encoded message: current length is ${part.length}`,
    );
  }
  return part.length;
}

function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) |
    bytes[at + 3]) >>> 0;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
