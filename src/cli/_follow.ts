/**
 * Follows an agent's event stream, reconnecting with backoff when the agent
 * goes away, and hands each JSON line to the caller.
 *
 * @module
 */

import type { ControlClient } from "./client.ts";

/** Connection progress reported to the caller. */
export type FollowStatus =
  | { status: "connecting" }
  | { status: "connected" }
  | { status: "disconnected"; retryInMs: number; error: string };

/** Callbacks of follow(). */
export interface FollowHandlers {
  onLine: (line: Record<string, unknown>) => void;
  onStatus: (s: FollowStatus) => void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;
/** No line (not even a heartbeat) for this long means the stream is dead. */
const SILENCE_MS = 25_000;

/** Follows the stream until `signal` aborts. Never throws. */
export async function follow(
  client: ControlClient,
  handlers: FollowHandlers,
  signal: AbortSignal,
): Promise<void> {
  let retryMs = RETRY_MIN_MS;
  while (!signal.aborted) {
    handlers.onStatus({ status: "connecting" });
    let error = "the stream ended";
    try {
      await readStream(client, handlers, signal, () => {
        retryMs = RETRY_MIN_MS;
      });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (signal.aborted) return;

    handlers.onStatus({ status: "disconnected", retryInMs: retryMs, error });
    await sleep(retryMs, signal);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  }
}

async function readStream(
  client: ControlClient,
  handlers: FollowHandlers,
  outer: AbortSignal,
  onConnected: () => void,
): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  outer.addEventListener("abort", stop);
  let watchdog = setTimeout(stop, SILENCE_MS);
  try {
    const res = await client.events(abort.signal);
    handlers.onStatus({ status: "connected" });
    onConnected();

    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      clearTimeout(watchdog);
      watchdog = setTimeout(stop, SILENCE_MS);

      const lines = (rest + value).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) emit(line, handlers);
    }
  } finally {
    clearTimeout(watchdog);
    outer.removeEventListener("abort", stop);
  }
}

function emit(line: string, handlers: FollowHandlers): void {
  if (!line.trim()) return;
  try {
    const obj = JSON.parse(line);
    if (obj && typeof obj === "object") handlers.onLine(obj);
  } catch {
    // A line that is not JSON is skipped; the next snapshot repairs gaps.
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
