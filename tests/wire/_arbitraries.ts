/**
 * fast-check arbitraries for valid wire messages, within every WIRE_LIMITS
 * bound, so property tests can range over the whole format.
 *
 * @module
 */

import fc from "fast-check";
import type { MemberMeta } from "../../src/core/member.ts";
import type { MemberRecord, Message } from "../../src/wire/mod.ts";
import { WIRE_LIMITS } from "../../src/wire/mod.ts";

// fast-check may build null-prototype objects, which the decoder (rightly)
// never returns, so deepStrictEqual would see a difference.
const record: typeof fc.record = (model, constraints = {}) =>
  fc.record(model, { ...constraints, noNullPrototype: true });

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** Any u32, with the edges likely. */
export const u32: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 0xffffffff),
  fc.tuple(
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 0xffff }),
  )
    .map(([high, low]) => high * 0x10000 + low),
);

/** Node names: any code points, or long ASCII up to the limit. */
export const name: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 32 }),
  fc.string({
    unit: "binary-ascii",
    minLength: 1,
    maxLength: WIRE_LIMITS.nameBytes,
  }),
).filter((s) => utf8Bytes(s) <= WIRE_LIMITS.nameBytes);

const port = fc.integer({ min: 1, max: 65535 });

/** Addresses: IPv4, host names and bracketed IPv6, with any valid port. */
export const addr: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.ipV4(), port).map(([host, p]) => `${host}:${p}`),
  fc.tuple(fc.domain(), port).map(([host, p]) => `${host}:${p}`),
  fc.tuple(fc.ipV6(), port).map(([host, p]) => `[${host}]:${p}`),
).filter((s) => s.length <= WIRE_LIMITS.addrBytes);

/** Meta with up to the maximum tag count; sizes stay under metaBytes. */
export const meta: fc.Arbitrary<MemberMeta> = record({
  cpus: fc.integer({ min: 0, max: 0xffff }),
  memoryMiB: u32,
  tags: fc.dictionary(
    fc.string({ unit: "binary", minLength: 1, maxLength: 15 }),
    fc.string({ unit: "binary", maxLength: 15 }),
    { maxKeys: WIRE_LIMITS.tags, noNullPrototype: true },
  ),
});

/** A member as carried in push-pull. */
export const memberRecord: fc.Arbitrary<MemberRecord> = record({
  name,
  addr,
  incarnation: u32,
  state: fc.constantFrom("alive", "suspect", "dead", "left"),
  meta,
});

/** Any valid message of any type. */
export const message: fc.Arbitrary<Message> = fc.oneof(
  record({ type: fc.constant("ping"), seq: u32, from: name, target: name }),
  record({
    type: fc.constant("ping-req"),
    seq: u32,
    from: name,
    target: name,
    targetAddr: addr,
  }),
  record({ type: fc.constantFrom("ack", "nack"), seq: u32, from: name }),
  record({
    type: fc.constant("alive"),
    name,
    incarnation: u32,
    addr,
    meta,
  }),
  record({
    type: fc.constantFrom("suspect", "dead", "left"),
    name,
    incarnation: u32,
    by: name,
  }),
  record({
    type: fc.constant("push-pull"),
    from: name,
    reply: fc.boolean(),
    members: fc.array(memberRecord, { maxLength: 3 }),
  }),
) as fc.Arbitrary<Message>;
