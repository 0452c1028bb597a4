/**
 * The field rules of the wire format (names, addresses, meta, states), kept
 * in one place so that encoding and decoding enforce exactly the same ones.
 *
 * @module
 */

import type { MemberMeta, MemberState } from "../core/member.ts";
import { ByteReader, ByteWriter } from "./_bytes.ts";
import { WIRE_LIMITS } from "./messages.ts";

const encoder = new TextEncoder();

// fatal: invalid UTF-8 is malformed input, not something to patch over.
// ignoreBOM: keep a leading U+FEFF, so a name starting with one round-trips.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * State codes on the wire, by index. Kept apart from `MEMBER_STATES` (a
 * precedence order) so that reordering precedence never changes the protocol.
 */
const STATE_CODES: readonly MemberState[] = [
  "alive",
  "suspect",
  "dead",
  "left",
];

// Address parts: a bracketed IPv6 literal (with an optional zone, as in
// fe80::1%eth0) or a host name or IPv4 literal, then a port with no leading
// zero. The port's upper bound is checked as a number after the match.
const IPV6_HOST = String.raw`\[([0-9A-Fa-f:.]+(?:%[0-9A-Za-z._~-]+)?)\]`;
const NAME_HOST = String.raw`([0-9A-Za-z._-]+)`;
const PORT = String.raw`([1-9][0-9]{0,4})`;
const ADDR_PATTERN = new RegExp(`^(?:${IPV6_HOST}|${NAME_HOST}):${PORT}$`);

/**
 * Whether `addr` is a valid wire address: `host:port` or `[ipv6]:port`, at
 * most `WIRE_LIMITS.addrBytes` long, with a port from 1 to 65535.
 */
export function isValidAddr(addr: string): boolean {
  // Check the length first so the pattern only ever sees short input.
  if (addr.length > WIRE_LIMITS.addrBytes) return false;
  const match = ADDR_PATTERN.exec(addr);
  if (match === null) return false;

  // A bracketed host must be IPv6, which always has a colon.
  if (match[1] !== undefined && !match[1].includes(":")) return false;
  return Number(match[3]) <= 65535;
}

/** Writes checked fields; a value out of range is a caller bug and throws. */
export class FieldWriter {
  /** The bytes written so far. */
  readonly raw: ByteWriter = new ByteWriter();
  #what: string;

  /** `what` names the message in errors, e.g. `"ping message"`. */
  constructor(what: string) {
    this.#what = what;
  }

  /** Throws a RangeError in the house form, naming the message. */
  fail(problem: string): never {
    throw new RangeError(`Cannot encode ${this.#what} as ${problem}`);
  }

  /** Writes an unsigned 16-bit integer. */
  u16(field: string, value: number): void {
    this.raw.u16(this.#uint(field, value, 0xffff));
  }

  /** Writes an unsigned 32-bit integer. */
  u32(field: string, value: number): void {
    this.raw.u32(this.#uint(field, value, 0xffffffff));
  }

  /** Writes a boolean as one byte, 0 or 1. */
  flag(value: boolean): void {
    this.raw.u8(value ? 1 : 0);
  }

  /** Writes a node name: 1 to `nameBytes` bytes of UTF-8. */
  name(field: string, value: string): void {
    this.#string(field, value, 1, WIRE_LIMITS.nameBytes);
  }

  /** Writes an address, which must pass `isValidAddr`. */
  addr(field: string, value: string): void {
    if (typeof value !== "string" || !isValidAddr(value)) {
      this.fail(
        `${field} must be host:port or [ipv6]:port with a port from 1 to 65535: current value is ${
          JSON.stringify(value)
        }`,
      );
    }
    this.#string(field, value, 1, WIRE_LIMITS.addrBytes);
  }

  /** Writes a member state as its one-byte code. */
  state(field: string, value: MemberState): void {
    const code = STATE_CODES.indexOf(value);
    if (code < 0) {
      this.fail(
        `${field} must be ${STATE_CODES.join(", ")}: current value is ${
          JSON.stringify(value)
        }`,
      );
    }
    this.raw.u8(code);
  }

  /** Writes cpus, memory and tags, within the tag and meta limits. */
  meta(field: string, meta: MemberMeta): void {
    const start = this.raw.length;
    this.u16(`${field}.cpus`, meta.cpus);
    this.u32(`${field}.memoryMiB`, meta.memoryMiB);

    const entries = Object.entries(meta.tags);
    if (entries.length > WIRE_LIMITS.tags) {
      this.fail(
        `${field}.tags must have at most ${WIRE_LIMITS.tags} entries: current count is ${entries.length}`,
      );
    }
    this.raw.u8(entries.length);
    for (const [key, value] of entries) {
      const path = `${field}.tags[${JSON.stringify(key)}]`;
      this.#string(`the key of ${path}`, key, 1, WIRE_LIMITS.tagBytes);
      this.#string(path, value, 0, WIRE_LIMITS.tagBytes);
    }

    const size = this.raw.length - start;
    if (size > WIRE_LIMITS.metaBytes) {
      this.fail(
        `${field} must encode to at most ${WIRE_LIMITS.metaBytes} bytes: current size is ${size}`,
      );
    }
  }

  #uint(field: string, value: number, max: number): number {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      this.fail(
        `${field} must be an integer from 0 to ${max}: current value is ${value}`,
      );
    }
    return value;
  }

  #string(field: string, value: string, min: number, max: number): void {
    // A lone surrogate would be encoded as U+FFFD and not round-trip.
    if (typeof value !== "string" || !value.isWellFormed()) {
      this.fail(
        `${field} must be a well-formed string: current value is ${
          JSON.stringify(value)
        }`,
      );
    }
    const bytes = encoder.encode(value);
    if (bytes.length < min || bytes.length > max) {
      this.fail(
        `${field} must be ${min} to ${max} UTF-8 bytes: current length is ${bytes.length}`,
      );
    }
    this.raw.u8(bytes.length);
    this.raw.bytes(bytes);
  }
}

/**
 * Reads fields from untrusted bytes by the same rules as `FieldWriter`. Like
 * `ByteReader` it never throws: a broken rule makes it not `ok`.
 */
export class FieldReader extends ByteReader {
  /** Reads a boolean byte; anything but 0 or 1 is malformed. */
  flag(): boolean {
    const value = this.u8();
    this.check(value <= 1);
    return value === 1;
  }

  /** Reads a node name. */
  name(): string {
    return this.#string(1, WIRE_LIMITS.nameBytes);
  }

  /** Reads an address and checks its form. */
  addr(): string {
    const value = this.#string(1, WIRE_LIMITS.addrBytes);
    this.check(isValidAddr(value));
    return value;
  }

  /** Reads a member state code. */
  state(): MemberState {
    const code = this.u8();
    this.check(code < STATE_CODES.length);
    return STATE_CODES[code] ?? "alive";
  }

  /** Reads cpus, memory and tags; a repeated tag key is malformed. */
  meta(): MemberMeta {
    const start = this.offset;
    const cpus = this.u16();
    const memoryMiB = this.u32();
    const count = this.u8();
    this.check(count <= WIRE_LIMITS.tags);

    const tags: Record<string, string> = {};
    for (let i = 0; i < count && this.ok; i++) {
      const key = this.#string(1, WIRE_LIMITS.tagBytes);
      const value = this.#string(0, WIRE_LIMITS.tagBytes);
      // A repeated key would silently lose one of its values.
      this.check(!Object.hasOwn(tags, key));
      // Define, not assign: `tags["__proto__"] = v` would set the prototype.
      Object.defineProperty(tags, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }

    this.check(this.offset - start <= WIRE_LIMITS.metaBytes);
    return { cpus, memoryMiB, tags };
  }

  #string(min: number, max: number): string {
    const length = this.u8();
    const bytes = this.bytes(length);
    this.check(length >= min && length <= max);
    if (!this.ok) return "";

    try {
      return decoder.decode(bytes);
    } catch {
      // Invalid UTF-8: the fatal decoder's only way to say so is to throw.
      this.check(false);
      return "";
    }
  }
}
