import assert from "node:assert/strict";
import {
  buildFrame,
  decodeFrame,
  type DropReason,
  encodeFrame,
  encodeMessage,
  FRAME_HEADER_BYTES,
  WIRE_LIMITS,
} from "../../src/wire/mod.ts";
import {
  fixChecksum,
  frameWith,
  message,
  meta,
  ofBytes,
  SAMPLES,
  str,
  u16,
  u32,
  u8,
} from "./_helpers.ts";

function assertDropped(bytes: Uint8Array, reason: DropReason): void {
  assert.deepStrictEqual(decodeFrame(bytes), { ok: false, reason });
}

const ACK = message("ack", u32(1), str("n1"));
const ADDR = str("10.0.0.1:7946");

function aliveWith(addr: number[], metaBytes = meta([])): number[] {
  return message("alive", str("n1"), u32(1), addr, metaBytes);
}

Deno.test("buildFrame() writes magic, version, flags and checksum", () => {
  const frame = buildFrame([encodeMessage(SAMPLES[2])]);

  assert.deepStrictEqual([...frame.subarray(0, 4)], [0x52, 0x44, 1, 0]);
  assert.equal(frame.length, FRAME_HEADER_BYTES + 10);
  assert.deepStrictEqual(frame, frameWith(frame.subarray(FRAME_HEADER_BYTES)));
});

Deno.test("buildFrame() throws a RangeError when given no message", () => {
  assert.throws(() => buildFrame([]), RangeError);
});

Deno.test("buildFrame() throws a RangeError on a part that is no message", () => {
  const part = encodeMessage(SAMPLES[0]);

  assert.throws(() => buildFrame([part.subarray(0, 2)]), RangeError);
  assert.throws(
    () => buildFrame([part.subarray(0, part.length - 1)]),
    RangeError,
  );
  assert.throws(() => buildFrame([encodeFrame([SAMPLES[0]])]), RangeError);
});

Deno.test("buildFrame() throws a RangeError past datagramBytes", () => {
  const part = encodeMessage({ type: "ack", seq: 1, from: ofBytes(128) });
  const count = Math.ceil(WIRE_LIMITS.datagramBytes / part.length);

  assert.throws(() => buildFrame(Array(count).fill(part)), RangeError);
});

Deno.test("decodeFrame() reads a frame held at an offset in a bigger buffer", () => {
  const frame = encodeFrame([...SAMPLES]);
  const buffer = new Uint8Array(frame.length + 13);
  buffer.set(frame, 5);

  const result = decodeFrame(buffer.subarray(5, 5 + frame.length));
  assert.deepStrictEqual(result, { ok: true, messages: SAMPLES });
});

Deno.test("decodeFrame() accepts a frame of exactly datagramBytes", () => {
  // 63 acks with 120-byte names and one with 112 fill the payload exactly.
  const payload = [
    ...Array(63).fill(message("ack", u32(1), str(ofBytes(120)))).flat(),
    ...message("ack", u32(1), str(ofBytes(112))),
  ];
  const frame = frameWith(payload);

  assert.equal(frame.length, WIRE_LIMITS.datagramBytes);
  assert.equal(decodeFrame(frame).ok, true);
});

Deno.test("decodeFrame() drops a datagram over datagramBytes as oversized", () => {
  const frame = frameWith([
    ...ACK,
    ...message("ack", u32(1), str(ofBytes(WIRE_LIMITS.datagramBytes))),
  ]);

  assertDropped(frame, "oversized");
  assertDropped(new Uint8Array(WIRE_LIMITS.datagramBytes + 1), "oversized");
});

Deno.test("decodeFrame() drops anything under one message header as too-short", () => {
  for (let n = 0; n < FRAME_HEADER_BYTES + 3; n++) {
    assertDropped(new Uint8Array(n), "too-short");
  }
  // A valid header with zero messages is too short as well.
  assertDropped(frameWith([]), "too-short");
  assertDropped(frameWith([3, 0]), "too-short");
});

Deno.test("decodeFrame() drops a frame with the wrong magic as bad-magic", () => {
  for (const magic of [[0x44, 0x52], [0x52, 0x45], [0, 0]]) {
    const frame = frameWith(ACK);
    frame.set(magic, 0);
    assertDropped(frame, "bad-magic");
  }
});

Deno.test("decodeFrame() drops a frame of another version as bad-version", () => {
  for (const version of [0, 2, 255]) {
    const frame = frameWith(ACK);
    frame[2] = version;
    assertDropped(frame, "bad-version");
  }
});

Deno.test("decodeFrame() drops a frame with a wrong sum as bad-checksum", () => {
  const frame = frameWith(ACK);
  frame[7] ^= 1;
  assertDropped(frame, "bad-checksum");

  const zeroed = frameWith(ACK);
  zeroed.fill(0, 4, 8);
  assertDropped(zeroed, "bad-checksum");
});

Deno.test("decodeFrame() drops a frame with any flag set as malformed", () => {
  const frame = frameWith(ACK);
  frame[3] = 0x80;
  assertDropped(frame, "malformed");
});

Deno.test("decodeFrame() drops an unknown message type as unknown-type", () => {
  for (const code of [0, 10, 255]) {
    assertDropped(frameWith(message(code, u32(1), str("n1"))), "unknown-type");
    assertDropped(frameWith([...ACK, ...message(code)]), "unknown-type");
  }
});

const MALFORMED: [string, number[]][] = [
  ["invalid UTF-8", message("ack", u32(1), str([0xff]))],
  ["an overlong UTF-8 form", message("ack", u32(1), str([0xc0, 0xaf]))],
  ["an encoded surrogate", message("ack", u32(1), str([0xed, 0xa0, 0x80]))],
  ["a cut UTF-8 sequence", message("ack", u32(1), str([0x6e, 0xe2, 0x82]))],
  ["a length past the end", [3, ...u16(100), ...u32(1), ...str("n1")]],
  ["a string length past the body", [3, ...u16(7), ...u32(1), 9, 0x6e, 0x31]],
  ["one trailing byte", [...ACK, 3]],
  ["two trailing bytes", [...ACK, 3, 0]],
  ["a byte left over in a body", message("ack", u32(1), str("n1"), [0])],
  ["a body cut short", message("ping", u32(1), str("n1"))],
  ["an empty body", message("ack")],
  ["an empty name", message("ack", u32(1), str(""))],
  ["a name over nameBytes", message("ack", u32(1), str(ofBytes(129)))],
  ["an empty by", message("dead", str("n1"), u32(1), str(""))],
  ["port 0", aliveWith(str("10.0.0.1:0"))],
  ["port 65536", aliveWith(str("10.0.0.1:65536"))],
  ["no port", aliveWith(str("10.0.0.1"))],
  ["an unbracketed IPv6 addr", aliveWith(str("::1:7946"))],
  ["an addr over addrBytes", aliveWith(str(ofBytes(60) + ":7946"))],
  [
    "a bad targetAddr",
    message("ping-req", u32(1), str("a"), str("b"), str("b")),
  ],
  ["a duplicate tag key", aliveWith(ADDR, meta([["k", "1"], ["k", "2"]]))],
  ["an empty tag key", aliveWith(ADDR, meta([["", "v"]]))],
  [
    "too many tags",
    aliveWith(
      ADDR,
      meta(
        Array.from({ length: 33 }, (_, i) => [`k${i}`, ""]),
      ),
    ),
  ],
  ["a tag count past the body", aliveWith(ADDR, meta([["k", "v"]], 2))],
  [
    "meta over metaBytes",
    aliveWith(
      ADDR,
      meta(
        Array.from({ length: 9 }, (_, i) => [`${i}`.repeat(255), ofBytes(255)]),
      ),
    ),
  ],
  ["a reply byte of 2", message("push-pull", str("n1"), u8(2), u16(0))],
  [
    "a record count past the body",
    message("push-pull", str("n1"), u8(0), u16(0xffff)),
  ],
  [
    "a state code of 4",
    message(
      "push-pull",
      str("n1"),
      u8(0),
      u16(1),
      str("n2"),
      ADDR,
      u32(0),
      u8(4),
      meta([]),
    ),
  ],
];

for (const [problem, payload] of MALFORMED) {
  Deno.test(`decodeFrame() drops a frame with ${problem} as malformed`, () => {
    assertDropped(frameWith(payload), "malformed");
    // The same fault after a good message spoils the whole frame.
    assertDropped(frameWith([...ACK, ...payload]), "malformed");
  });
}

Deno.test("decodeFrame() drops a frame cut at any offset", () => {
  const frame = encodeFrame([...SAMPLES]);

  for (let n = 0; n < frame.length; n++) {
    const short = n < FRAME_HEADER_BYTES + 3 ? "too-short" : "bad-checksum";
    assertDropped(frame.subarray(0, n), short);
  }
});

Deno.test("decodeFrame() reads a cut frame with a fixed sum only at message ends", () => {
  const parts = SAMPLES.map(encodeMessage);
  const payload = encodeFrame([...SAMPLES]).subarray(FRAME_HEADER_BYTES);
  const ends = new Map<number, number>();
  parts.reduce(
    (end, part, i) => (ends.set(end + part.length, i + 1), end + part.length),
    0,
  );

  for (let n = 0; n < payload.length; n++) {
    const result = decodeFrame(frameWith(payload.subarray(0, n)));
    const count = ends.get(n);
    if (n < 3) {
      assert.deepStrictEqual(result, { ok: false, reason: "too-short" });
    } else if (count === undefined) {
      assert.deepStrictEqual(result, { ok: false, reason: "malformed" });
    } else {assert.deepStrictEqual(result, {
        ok: true,
        messages: SAMPLES.slice(0, count),
      });}
  }
});

Deno.test("decodeFrame() drops a frame with any one bit flipped", () => {
  const frame = encodeFrame([...SAMPLES]);
  const reasonAt = (i: number): DropReason =>
    i < 2
      ? "bad-magic"
      : i === 2
      ? "bad-version"
      : i === 3
      ? "malformed"
      : "bad-checksum";

  for (let i = 0; i < frame.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const flipped = frame.slice();
      flipped[i] ^= 1 << bit;
      assertDropped(flipped, reasonAt(i));
    }
  }
});

Deno.test("decodeFrame() drops a fixed-sum frame with a flipped length byte", () => {
  const frame = encodeFrame([SAMPLES[4], SAMPLES[0]]);

  for (const at of [FRAME_HEADER_BYTES + 1, FRAME_HEADER_BYTES + 2]) {
    for (let bit = 0; bit < 8; bit++) {
      const flipped = frame.slice();
      flipped[at] ^= 1 << bit;
      fixChecksum(flipped);
      assert.equal(decodeFrame(flipped).ok, false);
    }
  }
});
