import assert from "node:assert/strict";
import {
  decodeFrame,
  type DecodeResult,
  DROP_REASONS,
  encodeFrame,
  FRAME_HEADER_BYTES,
  MESSAGE_CODES,
  WIRE_LIMITS,
} from "../../src/wire/mod.ts";
import { fixChecksum, frameWith, SAMPLES, seededRandom } from "./_helpers.ts";

const SEED = 0x5eed;
const ROUNDS = 20_000;
const CODES = Object.values(MESSAGE_CODES);

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);

function randomBytes(random: Random, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = int(random, 256);
  return bytes;
}

/** Random message headers with known codes and random bodies, framed. */
function randomFrame(random: Random): Uint8Array {
  const payload: number[] = [];
  for (let n = 1 + int(random, 4); n > 0; n--) {
    const body = randomBytes(random, int(random, 60));
    const length = random() < 0.9 ? body.length : int(random, 0x10000);
    payload.push(CODES[int(random, CODES.length)], length >> 8, length & 0xff);
    payload.push(...body);
  }
  return frameWith(payload);
}

/** A valid frame with a few random edits, usually with its sum fixed. */
function mutatedFrame(random: Random): Uint8Array {
  const count = 1 + int(random, 3);
  const picks = Array.from(
    { length: count },
    () => SAMPLES[int(random, SAMPLES.length)],
  );
  let bytes = [...encodeFrame(picks)];

  for (let edits = 1 + int(random, 4); edits > 0; edits--) {
    const at = int(random, bytes.length + 1);
    const edit = int(random, 5);
    if (edit === 0) bytes[at] ^= 1 << int(random, 8);
    else if (edit === 1) bytes[at] = int(random, 256);
    else if (edit === 2) bytes.splice(at, 0, int(random, 256));
    else if (edit === 3) bytes.splice(at, 1 + int(random, 4));
    else bytes = bytes.slice(0, at);
  }

  const frame = Uint8Array.from(bytes.filter((b) => b !== undefined));
  if (frame.length >= FRAME_HEADER_BYTES && random() < 0.85) fixChecksum(frame);
  return frame;
}

function nextInput(random: Random, round: number): Uint8Array {
  switch (round % 4) {
    case 0:
      return randomBytes(random, int(random, 64));
    case 1:
      return randomFrame(random);
    case 2:
      return mutatedFrame(random);
    default:
      return frameWith(
        randomBytes(random, int(random, WIRE_LIMITS.datagramBytes)),
      );
  }
}

function assertWellFormed(result: DecodeResult, seed: number, round: number) {
  const where = `seed=${seed} round=${round}`;
  if (!result.ok) {
    assert.ok(DROP_REASONS.includes(result.reason), where);
    return;
  }
  // Whatever decodes must obey the encoder's rules too.
  assert.ok(result.messages.length > 0, where);
  assert.deepStrictEqual(
    decodeFrame(encodeFrame(result.messages)),
    result,
    where,
  );
}

Deno.test("decodeFrame() never throws on 20,000 random and mutated frames", () => {
  const random = seededRandom(SEED);
  const seen = new Map<string, number>();

  for (let round = 0; round < ROUNDS; round++) {
    const input = nextInput(random, round);
    let result: DecodeResult;
    try {
      result = decodeFrame(input);
    } catch (error) {
      throw new Error(`decodeFrame threw: seed=${SEED} round=${round}`, {
        cause: error,
      });
    }
    assertWellFormed(result, SEED, round);
    const key = result.ok ? "ok" : result.reason;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }

  // The inputs must reach the message parser, not only the header checks.
  for (const key of ["ok", "unknown-type", "malformed", "bad-checksum"]) {
    assert.ok((seen.get(key) ?? 0) > 100, `too few ${key}: ${[...seen]}`);
  }
});
