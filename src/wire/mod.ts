/**
 * The binary wire format of rads-node: messages, frames around them, and
 * push-pull splitting. Pure ECMAScript, so it runs under Deno, Node and Bun.
 *
 * ```ts
 * const frame = encodeFrame([{ type: "ack", seq: 7, from: "n1" }]);
 * const result = decodeFrame(frame);
 * if (!result.ok) drops[result.reason] += 1;
 * ```
 *
 * @module
 */

export { crc32 } from "./crc32.ts";
export { encodeMessage } from "./codec.ts";
export { isValidAddr } from "./_fields.ts";
export {
  buildFrame,
  decodeFrame,
  type DecodeResult,
  DROP_REASONS,
  type DropReason,
  encodeFrame,
  FRAME_HEADER_BYTES,
  PROTOCOL_VERSION,
} from "./frame.ts";
export { encodePushPull } from "./push_pull.ts";
export * from "./messages.ts";
