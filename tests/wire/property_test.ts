import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildFrame,
  decodeFrame,
  DROP_REASONS,
  encodeFrame,
  encodeMessage,
  FRAME_HEADER_BYTES,
  isValidAddr,
  type Message,
  WIRE_LIMITS,
} from "../../src/wire/mod.ts";
import { addr, message } from "./_arbitraries.ts";
import { fixChecksum, frameWith } from "./_helpers.ts";

/** Encoded parts, or undefined when they would not fit one datagram. */
function partsThatFit(messages: Message[]): Uint8Array[] | undefined {
  const parts = messages.map(encodeMessage);
  const size = parts.reduce(
    (sum, part) => sum + part.length,
    FRAME_HEADER_BYTES,
  );
  return size <= WIRE_LIMITS.datagramBytes ? parts : undefined;
}

Deno.test("decodeFrame() inverts encodeFrame() for any valid messages", () => {
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 6 }),
      (messages) => {
        const parts = partsThatFit(messages);
        fc.pre(parts !== undefined);

        const result = decodeFrame(buildFrame(parts!));
        assert.deepStrictEqual(result, { ok: true, messages });
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("isValidAddr() accepts every generated address", () => {
  fc.assert(fc.property(addr, (value) => isValidAddr(value)));
});

Deno.test("decodeFrame() never throws on arbitrary bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const raw = decodeFrame(bytes);
      const framed = decodeFrame(frameWith(bytes));

      for (const result of [raw, framed]) {
        if (!result.ok) assert.ok(DROP_REASONS.includes(result.reason));
      }
    }),
    { numRuns: 2000 },
  );
});

Deno.test("decodeFrame() output always encodes again to the same messages", () => {
  const mutated = fc.tuple(
    fc.array(message, { minLength: 1, maxLength: 3 }),
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
  );

  fc.assert(
    fc.property(mutated, ([messages, where, value]) => {
      const parts = partsThatFit(messages);
      fc.pre(parts !== undefined);

      // Change one payload byte and fix the sum, so the parser sees it.
      const frame = buildFrame(parts!);
      frame[
        FRAME_HEADER_BYTES + (where % (frame.length - FRAME_HEADER_BYTES))
      ] = value;
      fixChecksum(frame);

      const result = decodeFrame(frame);
      if (result.ok) {
        assert.deepStrictEqual(
          decodeFrame(encodeFrame(result.messages)),
          result,
        );
      }
    }),
    { numRuns: 1000 },
  );
});
