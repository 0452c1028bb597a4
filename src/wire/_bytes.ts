/**
 * Big-endian byte writing and bounds-checked byte reading. Internal to the
 * wire module; the field rules live in `_fields.ts`.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);

/** Appends big-endian integers and raw bytes to a buffer that grows. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(initialBytes = 128) {
    this.#buf = new Uint8Array(initialBytes);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends one byte; the caller has checked `value` fits. */
  u8(value: number): void {
    const at = this.#claim(1);
    this.#view.setUint8(at, value);
  }

  /** Appends a big-endian 16-bit integer. */
  u16(value: number): void {
    const at = this.#claim(2);
    this.#view.setUint16(at, value);
  }

  /** Appends a big-endian 32-bit integer. */
  u32(value: number): void {
    const at = this.#claim(4);
    this.#view.setUint32(at, value);
  }

  /** Appends raw bytes. */
  bytes(value: Uint8Array): void {
    const at = this.#claim(value.length);
    this.#buf.set(value, at);
  }

  /** Overwrites a 16-bit integer written earlier, such as a length field. */
  patchU16(offset: number, value: number): void {
    this.#view.setUint16(offset, value);
  }

  /** A copy of exactly the bytes written. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#length);
  }

  // Reserves `n` bytes and returns their offset. It may swap in a bigger
  // buffer, so callers touch `#buf` and `#view` only after calling it.
  #claim(n: number): number {
    const at = this.#length;
    if (at + n > this.#buf.length) this.#grow(at + n);
    this.#length = at + n;
    return at;
  }

  #grow(needed: number): void {
    // Doubling keeps appends amortised O(1).
    const next = new Uint8Array(Math.max(needed, this.#buf.length * 2));
    next.set(this.#buf.subarray(0, this.#length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

/**
 * Reads big-endian integers from untrusted bytes without ever throwing.
 *
 * The first read past the end, or any `fail()`, makes the reader not `ok`
 * for good; later reads return zeros and empty arrays. Callers read a whole
 * body and then check `done` once, instead of testing every read.
 */
export class ByteReader {
  #bytes: Uint8Array;
  #view: DataView;
  #offset = 0;
  #ok = true;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** False once a read ran past the end or a check failed. */
  get ok(): boolean {
    return this.#ok;
  }

  /** Whether every byte was read and nothing failed. */
  get done(): boolean {
    return this.#ok && this.#offset === this.#bytes.length;
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#offset;
  }

  /** Marks the input malformed unless `condition` holds. */
  check(condition: boolean): void {
    if (!condition) this.#ok = false;
  }

  /** Reads one byte, or 0 once failed. */
  u8(): number {
    const at = this.#take(1);
    return at < 0 ? 0 : this.#bytes[at];
  }

  /** Reads a big-endian 16-bit integer, or 0 once failed. */
  u16(): number {
    const at = this.#take(2);
    return at < 0 ? 0 : this.#view.getUint16(at);
  }

  /** Reads a big-endian 32-bit integer, or 0 once failed. */
  u32(): number {
    const at = this.#take(4);
    return at < 0 ? 0 : this.#view.getUint32(at);
  }

  /** A view (not a copy) of the next `n` bytes, or empty once failed. */
  bytes(n: number): Uint8Array {
    const at = this.#take(n);
    return at < 0 ? EMPTY : this.#bytes.subarray(at, at + n);
  }

  #take(n: number): number {
    // Check the bytes exist before anything trusts the length.
    if (!this.#ok || this.#bytes.length - this.#offset < n) {
      this.#ok = false;
      return -1;
    }
    const at = this.#offset;
    this.#offset += n;
    return at;
  }
}
