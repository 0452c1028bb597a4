import assert from "node:assert/strict";
import {
  decodeFrame,
  encodeFrame,
  encodePushPull,
  type MemberRecord,
  type PushPullMessage,
  WIRE_LIMITS,
} from "../../src/wire/mod.ts";
import { ofBytes } from "./_helpers.ts";

const STATES = ["alive", "suspect", "dead", "left"] as const;

function records(count: number): MemberRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${i}`,
    addr: i % 2 ? `10.0.${i >> 8}.${i & 0xff}:7946` : `[fd00::${i}]:7946`,
    incarnation: i * 7,
    state: STATES[i % 4],
    meta: {
      cpus: i % 64,
      memoryMiB: i * 1024,
      tags: { role: "x".repeat(i % 40) },
    },
  }));
}

function decodeParts(frames: Uint8Array[]): PushPullMessage[] {
  return frames.map((frame) => {
    const result = decodeFrame(frame);
    assert.ok(result.ok);
    assert.equal(result.messages.length, 1);
    return result.messages[0] as PushPullMessage;
  });
}

/** Bytes one record adds to a push-pull frame. */
function recordSize(record: MemberRecord): number {
  const empty: PushPullMessage = {
    type: "push-pull",
    from: "n0",
    reply: false,
    members: [],
  };
  return encodeFrame([{ ...empty, members: [record] }]).length -
    encodeFrame([empty]).length;
}

Deno.test("encodePushPull() keeps every part within maxPacketBytes", () => {
  for (const maxPacketBytes of [200, 512, 1400, WIRE_LIMITS.datagramBytes]) {
    const frames = encodePushPull("n0", false, records(300), maxPacketBytes);

    for (const frame of frames) assert.ok(frame.length <= maxPacketBytes);
  }
});

Deno.test("encodePushPull() recovers every record, in order, from its parts", () => {
  const members = records(300);
  const parts = decodeParts(encodePushPull("n0", true, members, 512));

  assert.ok(parts.length > 1);
  assert.deepStrictEqual(parts.flatMap((part) => part.members), members);
  for (const part of parts) {
    assert.equal(part.from, "n0");
    assert.equal(part.reply, true);
  }
});

Deno.test("encodePushPull() fills each part before it starts the next", () => {
  const members = records(300);
  const frames = encodePushPull("n0", false, members, 700);
  const parts = decodeParts(frames);

  // Greedy: the first record of the next part would not have fitted.
  for (let i = 0; i + 1 < parts.length; i++) {
    const next = parts[i + 1].members[0];
    assert.ok(frames[i].length + recordSize(next) > 700);
  }
});

Deno.test("encodePushPull() sends a record too big for the limit alone", () => {
  const members = records(5);
  members[2].meta.tags = { big: ofBytes(255) };
  const frames = encodePushPull("n0", false, members, 120);
  const parts = decodeParts(frames);

  assert.deepStrictEqual(parts.map((part) => part.members.length), [2, 1, 2]);
  assert.deepStrictEqual(parts[1].members, [members[2]]);
  assert.deepStrictEqual(frames.map((frame) => frame.length > 120), [
    false,
    true,
    false,
  ]);
});

Deno.test("encodePushPull() sends one empty part for an empty list", () => {
  const parts = decodeParts(encodePushPull("n0", false, [], 1400));

  assert.deepStrictEqual(parts, [
    { type: "push-pull", from: "n0", reply: false, members: [] },
  ]);
});

Deno.test("encodePushPull() fits the largest possible record in a datagram", () => {
  // Meta of exactly metaBytes: 7 fixed bytes, 7 tags of 1 + 254 + 1 + 255
  // bytes and one of 1 + 255 + 1 + 255.
  const tags: Record<string, string> = { [ofBytes(255, "z")]: ofBytes(255) };
  for (let i = 0; i < 7; i++) tags[`${i}`.repeat(254)] = ofBytes(255);
  const widest: MemberRecord = {
    name: ofBytes(WIRE_LIMITS.nameBytes),
    addr: ofBytes(WIRE_LIMITS.addrBytes - 6) + ":65535",
    incarnation: 0xffffffff,
    state: "left",
    meta: { cpus: 65535, memoryMiB: 0xffffffff, tags },
  };
  const from = ofBytes(WIRE_LIMITS.nameBytes, "f");

  const frames = encodePushPull(
    from,
    true,
    [widest],
    WIRE_LIMITS.datagramBytes,
  );
  assert.equal(frames.length, 1);
  assert.deepStrictEqual(decodeParts(frames)[0].members, [widest]);
});

Deno.test("encodePushPull() throws a RangeError on a bad maxPacketBytes", () => {
  for (const bad of [0, -1, 1.5, NaN, WIRE_LIMITS.datagramBytes + 1]) {
    assert.throws(
      () => encodePushPull("n0", false, records(2), bad),
      RangeError,
    );
  }
});

Deno.test("encodePushPull() names the bad record in its RangeError", () => {
  const members = records(4);
  members[3].addr = "nowhere";

  assert.throws(
    () => encodePushPull("n0", false, members, 1400),
    /^RangeError: Cannot encode push-pull message as members\[3\]\.addr /,
  );
});
