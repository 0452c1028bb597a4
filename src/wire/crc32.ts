/**
 * CRC-32 as used by Ethernet, zip and PNG (IEEE 802.3, reflected polynomial
 * 0xEDB88320). Plain ECMAScript, so it runs the same under Deno, Node and Bun.
 *
 * @module
 */

/** The reflected IEEE polynomial. */
const POLYNOMIAL = 0xedb88320;

/** Remainder of every byte value, so the main loop does one lookup a byte. */
const TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) {
      c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c;
  }
  return table;
}

/**
 * CRC-32 (IEEE) of `bytes`, as an unsigned 32-bit integer.
 *
 * Pass a `subarray` to checksum part of a buffer without copying it.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  // The register starts all ones so that leading zero bytes change the sum.
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }

  // Final inversion, then `>>> 0` to read the bits as unsigned.
  return (crc ^ 0xffffffff) >>> 0;
}
