import assert from "node:assert/strict";
import {
  decodeFrame,
  encodeFrame,
  encodeMessage,
  isValidAddr,
  type Message,
  WIRE_LIMITS,
} from "../../src/wire/mod.ts";
import { ofBytes, SAMPLES } from "./_helpers.ts";

function roundTrip(messages: Message[]): void {
  assert.deepStrictEqual(decodeFrame(encodeFrame(messages)), {
    ok: true,
    messages,
  });
}

function alive(overrides: Partial<Extract<Message, { type: "alive" }>>) {
  return {
    type: "alive",
    name: "n1",
    incarnation: 1,
    addr: "10.0.0.1:7946",
    meta: { cpus: 1, memoryMiB: 1, tags: {} },
    ...overrides,
  } as const;
}

for (const sample of SAMPLES) {
  Deno.test(`encodeFrame() round-trips a ${sample.type} message`, () => {
    roundTrip([sample]);
  });
}

Deno.test("encodeFrame() round-trips every message type in one frame", () => {
  roundTrip([...SAMPLES]);
});

Deno.test("encodeFrame() round-trips the same message packed twice", () => {
  roundTrip([SAMPLES[2], SAMPLES[2]]);
});

Deno.test("encodeFrame() round-trips unicode names of the maximal size", () => {
  // 32 four-byte code points make exactly WIRE_LIMITS.nameBytes bytes.
  const longest = "🦕".repeat(WIRE_LIMITS.nameBytes / 4);
  roundTrip([
    { type: "ack", seq: 1, from: longest },
    { type: "dead", name: "ノード", incarnation: 2, by: "Ωmega" },
    { type: "ping", seq: 3, from: "\uFEFFbom-first", target: "e\u0301" },
  ]);
});

Deno.test("encodeFrame() round-trips IPv4, IPv6 and host name addrs", () => {
  const addrs = [
    "127.0.0.1:65535",
    "[::1]:7946",
    "[2001:db8::8a2e:370:7334]:1",
    "[::ffff:192.0.2.1]:7946",
    "[fe80::1%eth0]:7946",
    "node-1.cluster.local:7946",
    ofBytes(WIRE_LIMITS.addrBytes - 5, "h") + ":7946",
  ];
  roundTrip(addrs.map((addr) => alive({ addr })));
});

Deno.test("encodeFrame() round-trips empty, odd and maximal tags", () => {
  const many: Record<string, string> = {};
  for (let i = 0; i < WIRE_LIMITS.tags; i++) {
    many[`k${i}`.padEnd(20, "k")] = "v".repeat(100);
  }
  const odd: Record<string, string> = { "1": "one", "ü": "", " ": " " };
  // Define rather than assign, or "__proto__" would set the prototype.
  Object.defineProperty(odd, "__proto__", { value: "p", enumerable: true });
  const widest = { [ofBytes(255, "k")]: ofBytes(255, "v") };

  roundTrip([
    alive({ meta: { cpus: 0, memoryMiB: 0, tags: {} } }),
    alive({ meta: { cpus: 65535, memoryMiB: 0xffffffff, tags: many } }),
    alive({ meta: { cpus: 2, memoryMiB: 3, tags: odd } }),
    alive({ meta: { cpus: 2, memoryMiB: 3, tags: widest } }),
  ]);
});

Deno.test("encodeFrame() keeps a __proto__ tag as data, not a prototype", () => {
  const tags = {};
  Object.defineProperty(tags, "__proto__", { value: "p", enumerable: true });
  const result = decodeFrame(
    encodeFrame([alive({ meta: { ...alive({}).meta, tags } })]),
  );

  assert.ok(result.ok);
  const decoded = (result.messages[0] as ReturnType<typeof alive>).meta.tags;
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.deepStrictEqual(Object.entries(decoded), [["__proto__", "p"]]);
});

Deno.test("encodeMessage() writes type code, body length and body", () => {
  const bytes = encodeMessage({ type: "ack", seq: 7, from: "n1" });

  assert.deepStrictEqual(
    [...bytes],
    [3, 0, 7, 0, 0, 0, 7, 2, 0x6e, 0x31],
  );
});

Deno.test("encodeMessage() writes a push-pull record in field order", () => {
  const bytes = encodeMessage({
    type: "push-pull",
    from: "a",
    reply: false,
    members: [{
      name: "b",
      addr: "c:1",
      incarnation: 2,
      state: "dead",
      meta: { cpus: 3, memoryMiB: 4, tags: { k: "v" } },
    }],
  });

  assert.deepStrictEqual([...bytes], [
    ...[9, 0, 27],
    ...[1, 0x61, 0, 0, 1],
    ...[1, 0x62, 3, 0x63, 0x3a, 0x31, 0, 0, 0, 2, 2],
    ...[0, 3, 0, 0, 0, 4, 1, 1, 0x6b, 1, 0x76],
  ]);
});

const BAD_MESSAGES: [string, Message][] = [
  ["an empty name", { type: "ack", seq: 1, from: "" }],
  ["a name over nameBytes", {
    type: "ack",
    seq: 1,
    from: ofBytes(WIRE_LIMITS.nameBytes + 1),
  }],
  ["a lone surrogate", { type: "ack", seq: 1, from: "n\uD800" }],
  ["a negative seq", { type: "ack", seq: -1, from: "n1" }],
  ["a seq over u32", { type: "ack", seq: 2 ** 32, from: "n1" }],
  ["a fractional seq", { type: "ack", seq: 1.5, from: "n1" }],
  ["a NaN incarnation", { type: "left", name: "a", incarnation: NaN, by: "a" }],
  ["an empty by", { type: "suspect", name: "a", incarnation: 1, by: "" }],
  ["port 0", alive({ addr: "10.0.0.1:0" })],
  ["port 65536", alive({ addr: "10.0.0.1:65536" })],
  ["no port", alive({ addr: "10.0.0.1" })],
  ["an unbracketed IPv6 addr", alive({ addr: "::1:7946" })],
  ["an addr over addrBytes", alive({ addr: ofBytes(60) + ":7946" })],
  ["cpus over u16", alive({ meta: { cpus: 65536, memoryMiB: 0, tags: {} } })],
  [
    "too many tags",
    alive({
      meta: {
        cpus: 0,
        memoryMiB: 0,
        tags: Object.fromEntries(
          Array.from({ length: WIRE_LIMITS.tags + 1 }, (_, i) => [`k${i}`, ""]),
        ),
      },
    }),
  ],
  [
    "an empty tag key",
    alive({ meta: { cpus: 0, memoryMiB: 0, tags: { "": "v" } } }),
  ],
  [
    "a tag value over tagBytes",
    alive({
      meta: { cpus: 0, memoryMiB: 0, tags: { k: ofBytes(256) } },
    }),
  ],
  [
    "meta over metaBytes",
    alive({
      meta: {
        cpus: 0,
        memoryMiB: 0,
        tags: Object.fromEntries(
          Array.from(
            { length: 9 },
            (_, i) => [`${i}`.repeat(255), ofBytes(255)],
          ),
        ),
      },
    }),
  ],
  ["an unknown state", {
    type: "push-pull",
    from: "n1",
    reply: false,
    members: [{
      name: "n2",
      addr: "h:1",
      incarnation: 0,
      state: "gone" as "dead",
      meta: { cpus: 0, memoryMiB: 0, tags: {} },
    }],
  }],
];

for (const [problem, message] of BAD_MESSAGES) {
  Deno.test(`encodeMessage() throws a RangeError on ${problem}`, () => {
    assert.throws(() => encodeMessage(message), RangeError);
  });
}

Deno.test("encodeMessage() names the message and field in its error", () => {
  assert.throws(
    () => encodeMessage(alive({ addr: "10.0.0.1:0" })),
    /^RangeError: Cannot encode alive message as addr must be host:port .*current value is "10.0.0.1:0"$/,
  );
});

Deno.test("encodeMessage() throws a TypeError on an unknown type", () => {
  const bogus = { type: "toString", seq: 1, from: "n1" } as unknown as Message;

  assert.throws(() => encodeMessage(bogus), TypeError);
});

Deno.test("isValidAddr() accepts host:port and [ipv6]:port only", () => {
  const good = ["a:1", "10.1.2.3:7946", "[::]:80", "[fe80::1%en0]:9"];
  const bad = [
    "",
    "a",
    ":80",
    "a:",
    "a:0",
    "a:08",
    "a:65536",
    "a:+80",
    "a b:80",
    "[]:80",
    "[10.0.0.1]:80",
    "[::1]",
    "[::1:80",
    "ä:80",
    "::1:80",
  ];

  for (const addr of good) assert.equal(isValidAddr(addr), true, addr);
  for (const addr of bad) assert.equal(isValidAddr(addr), false, addr);
});
