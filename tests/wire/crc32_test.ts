import assert from "node:assert/strict";
import { crc32 } from "../../src/wire/mod.ts";
import { seededRandom } from "./_helpers.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** Bit-at-a-time CRC-32, slow but plainly the textbook definition. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc >>> 1) ^ (crc & 1 ? 0xedb88320 : 0);
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

Deno.test("crc32() matches the published IEEE check values", () => {
  assert.equal(crc32(new Uint8Array(0)), 0);
  assert.equal(crc32(text("a")), 0xe8b7be43);
  assert.equal(crc32(text("123456789")), 0xcbf43926);
  assert.equal(
    crc32(text("The quick brown fox jumps over the lazy dog")),
    0x414fa339,
  );
});

Deno.test("crc32() agrees with a bitwise reference on random input", () => {
  const random = seededRandom(32);

  for (let round = 0; round < 200; round++) {
    const bytes = new Uint8Array(Math.floor(random() * 300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random() * 256;
    assert.equal(crc32(bytes), referenceCrc32(bytes));
  }
});

Deno.test("crc32() returns an unsigned 32-bit integer", () => {
  const sum = crc32(new Uint8Array([0xff, 0xff, 0xff, 0xff]));

  assert.equal(sum, 0xffffffff);
  assert.ok(sum >= 0);
});

Deno.test("crc32() sums only the bytes of a subarray", () => {
  const whole = text("xx123456789yy");

  assert.equal(crc32(whole.subarray(2, 11)), 0xcbf43926);
});
