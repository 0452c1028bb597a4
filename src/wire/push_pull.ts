/**
 * Splitting a full member list into push-pull frames that each fit a packet.
 *
 * @module
 */

import { encodeMessage, recordBytes } from "./codec.ts";
import { buildFrame } from "./frame.ts";
import { type MemberRecord, WIRE_LIMITS } from "./messages.ts";

/**
 * Encodes `records` as push-pull frames of at most `maxPacketBytes` each,
 * keeping their order. Each frame is one push-pull message that stands on
 * its own. A record too big for any frame still goes alone in one (it
 * always fits a datagram, thanks to `WIRE_LIMITS.metaBytes`). An empty list
 * gives one frame with no records, so the exchange still happens.
 *
 * @param maxPacketBytes Largest frame to build, from 1 to
 * `WIRE_LIMITS.datagramBytes`; about 1400 keeps frames under common MTUs.
 * @throws {RangeError} if `maxPacketBytes` is out of range or a record
 * breaks a limit in `WIRE_LIMITS`.
 */
export function encodePushPull(
  from: string,
  reply: boolean,
  records: MemberRecord[],
  maxPacketBytes: number,
): Uint8Array[] {
  checkMaxPacketBytes(maxPacketBytes);
  const frameOf = (members: MemberRecord[]) =>
    buildFrame([encodeMessage({ type: "push-pull", from, reply, members })]);

  // Measure a frame with no records; each record then adds its own size.
  const emptyBytes = frameOf([]).length;
  const frames: Uint8Array[] = [];
  let group: MemberRecord[] = [];
  let size = emptyBytes;

  records.forEach((record, i) => {
    const bytes = recordBytes(record, i);
    // Close the frame before a record that would overflow it; a lone record
    // too big for the limit is sent anyway, as dropping it would hide it.
    if (group.length > 0 && size + bytes > maxPacketBytes) {
      frames.push(frameOf(group));
      group = [];
      size = emptyBytes;
    }
    group.push(record);
    size += bytes;
  });

  frames.push(frameOf(group));
  return frames;
}

function checkMaxPacketBytes(value: number): void {
  const max = WIRE_LIMITS.datagramBytes;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(
      `Cannot encode push-pull as maxPacketBytes must be an integer from 1 to ${max}: current value is ${value}`,
    );
  }
}
