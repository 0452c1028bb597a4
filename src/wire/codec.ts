/**
 * Message bodies: one message to bytes (type code, body length, body) and
 * one body back to a message. Frames around them are in `frame.ts`.
 *
 * @module
 */

import { FieldReader, FieldWriter } from "./_fields.ts";
import {
  type AckMessage,
  type AliveMessage,
  type DownMessage,
  type MemberRecord,
  type Message,
  MESSAGE_CODES,
  type NackMessage,
  type PingMessage,
  type PingReqMessage,
  type PushPullMessage,
} from "./messages.ts";

/** Bytes before each message body: a type code (u8) and a length (u16). */
export const MESSAGE_HEADER_BYTES = 3;

/** Largest body a u16 length can describe. */
const MAX_BODY_BYTES = 0xffff;

/** Message type by wire code; a code that is not here is unknown. */
export const MESSAGE_TYPES: ReadonlyMap<number, Message["type"]> = new Map(
  Object.entries(MESSAGE_CODES).map(([type, code]) => [
    code,
    type as Message["type"],
  ]),
);

/**
 * Encodes one message as type code, body length and body, ready to be
 * packed into frames with `buildFrame`. Encode a broadcast once and reuse
 * the bytes in every frame that carries it.
 *
 * @throws {RangeError} if the message breaks a limit in `WIRE_LIMITS`; the
 * caller should never have built it.
 */
export function encodeMessage(message: Message): Uint8Array {
  const type: string = message.type;
  if (!Object.hasOwn(MESSAGE_CODES, type)) {
    throw new TypeError(
      `Cannot encode message as its type is unknown: current value is ${
        JSON.stringify(type)
      }`,
    );
  }

  // Write a zero length first and patch it once the body size is known.
  const w = new FieldWriter(`${type} message`);
  w.raw.u8(MESSAGE_CODES[message.type]);
  w.raw.u16(0);
  writeBody(w, message);

  const bodyBytes = w.raw.length - MESSAGE_HEADER_BYTES;
  if (bodyBytes > MAX_BODY_BYTES) {
    w.fail(
      `its body must be at most ${MAX_BODY_BYTES} bytes: current size is ${bodyBytes}`,
    );
  }
  w.raw.patchU16(1, bodyBytes);
  return w.raw.finish();
}

/**
 * Size in bytes of one push-pull record, so that a member list can be split
 * into parts that fit a packet.
 *
 * @throws {RangeError} if the record breaks a limit in `WIRE_LIMITS`.
 */
export function recordBytes(record: MemberRecord, index: number): number {
  const w = new FieldWriter("push-pull message");
  writeRecord(w, `members[${index}]`, record);
  return w.raw.length;
}

/**
 * Decodes one message body of a known type. Returns undefined when the body
 * is malformed, including when bytes are missing or left over.
 */
export function decodeBody(
  type: Message["type"],
  body: Uint8Array,
): Message | undefined {
  const r = new FieldReader(body);
  const message = readBody(r, type);

  // A body must be used up exactly: leftovers are as suspect as a shortfall.
  return r.done ? message : undefined;
}

function writeBody(w: FieldWriter, m: Message): void {
  switch (m.type) {
    case "ping":
      return writePing(w, m);
    case "ping-req":
      return writePingReq(w, m);
    case "ack":
    case "nack":
      return writeAck(w, m);
    case "alive":
      return writeAlive(w, m);
    case "suspect":
    case "dead":
    case "left":
      return writeDown(w, m);
    case "push-pull":
      return writePushPull(w, m);
  }
}

function writePing(w: FieldWriter, m: PingMessage): void {
  w.u32("seq", m.seq);
  w.name("from", m.from);
  w.name("target", m.target);
}

function writePingReq(w: FieldWriter, m: PingReqMessage): void {
  w.u32("seq", m.seq);
  w.name("from", m.from);
  w.name("target", m.target);
  w.addr("targetAddr", m.targetAddr);
}

function writeAck(w: FieldWriter, m: AckMessage | NackMessage): void {
  w.u32("seq", m.seq);
  w.name("from", m.from);
}

function writeAlive(w: FieldWriter, m: AliveMessage): void {
  w.name("name", m.name);
  w.u32("incarnation", m.incarnation);
  w.addr("addr", m.addr);
  w.meta("meta", m.meta);
}

function writeDown(w: FieldWriter, m: DownMessage): void {
  w.name("name", m.name);
  w.u32("incarnation", m.incarnation);
  w.name("by", m.by);
}

function writePushPull(w: FieldWriter, m: PushPullMessage): void {
  w.name("from", m.from);
  w.flag(m.reply);
  w.u16("the member count", m.members.length);
  m.members.forEach((record, i) => writeRecord(w, `members[${i}]`, record));
}

function writeRecord(w: FieldWriter, path: string, r: MemberRecord): void {
  w.name(`${path}.name`, r.name);
  w.addr(`${path}.addr`, r.addr);
  w.u32(`${path}.incarnation`, r.incarnation);
  w.state(`${path}.state`, r.state);
  w.meta(`${path}.meta`, r.meta);
}

// The readers below rely on object literals evaluating their properties in
// source order, which the language guarantees: that order is the wire order.

function readBody(r: FieldReader, type: Message["type"]): Message {
  switch (type) {
    case "ping":
      return { type, seq: r.u32(), from: r.name(), target: r.name() };
    case "ping-req":
      return readPingReq(r);
    case "ack":
    case "nack":
      return { type, seq: r.u32(), from: r.name() };
    case "alive":
      return readAlive(r);
    case "suspect":
    case "dead":
    case "left":
      return { type, name: r.name(), incarnation: r.u32(), by: r.name() };
    case "push-pull":
      return readPushPull(r);
  }
}

function readPingReq(r: FieldReader): PingReqMessage {
  return {
    type: "ping-req",
    seq: r.u32(),
    from: r.name(),
    target: r.name(),
    targetAddr: r.addr(),
  };
}

function readAlive(r: FieldReader): AliveMessage {
  return {
    type: "alive",
    name: r.name(),
    incarnation: r.u32(),
    addr: r.addr(),
    meta: r.meta(),
  };
}

function readPushPull(r: FieldReader): PushPullMessage {
  const from = r.name();
  const reply = r.flag();
  const count = r.u16();

  // Stop at the first failure, so a forged count costs no work or memory.
  const members: MemberRecord[] = [];
  for (let i = 0; i < count && r.ok; i++) members.push(readRecord(r));
  return { type: "push-pull", from, reply, members };
}

function readRecord(r: FieldReader): MemberRecord {
  return {
    name: r.name(),
    addr: r.addr(),
    incarnation: r.u32(),
    state: r.state(),
    meta: r.meta(),
  };
}
