/**
 * Follows the event streams of many agents and records, per observer, when
 * each member reached each state. Used to time detection and convergence
 * from the agents' own timestamps, not from polling.
 *
 * @module
 */

/** One state change as one observer saw it. */
export interface SeenChange {
  observer: string;
  member: string;
  to: string;
  addr: string;
  atMs: number;
}

/** Collects member events from agents' /v1/events streams. */
export class EventLog {
  readonly changes: SeenChange[] = [];
  #aborts = new Map<string, AbortController>();

  /** Starts following `observer`'s stream at `control` (retrying briefly). */
  async follow(observer: string, control: string): Promise<void> {
    this.unfollow(observer);
    const abort = new AbortController();
    this.#aborts.set(observer, abort);

    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const res = await fetch(`http://${control}/v1/events`, {
          signal: abort.signal,
        });
        if (!res.body) throw new Error("no body");
        this.#read(observer, res.body);
        return;
      } catch {
        if (abort.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`cannot follow events of ${observer} at ${control}`);
  }

  /** Stops following `observer`. */
  unfollow(observer: string): void {
    this.#aborts.get(observer)?.abort();
    this.#aborts.delete(observer);
  }

  /** Stops following everyone. */
  close(): void {
    for (const name of [...this.#aborts.keys()]) this.unfollow(name);
  }

  /**
   * The time at which the last of `observers` saw `member` reach `to`
   * after `sinceMs`, or undefined if some have not yet.
   */
  lastSeen(
    observers: string[],
    member: string,
    to: string,
    sinceMs: number,
  ): number | undefined {
    let last = -Infinity;
    for (const o of observers) {
      const hit = this.changes.find((c) =>
        c.observer === o && c.member === member && c.to === to &&
        c.atMs >= sinceMs
      );
      if (!hit) return undefined;
      last = Math.max(last, hit.atMs);
    }
    return last;
  }

  async #read(observer: string, body: ReadableStream<Uint8Array>) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        const lines = (rest + value).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) this.#onLine(observer, line);
      }
    } catch {
      // Stream ended: the agent stopped or we unfollowed it.
    }
  }

  #onLine(observer: string, line: string): void {
    if (!line.trim()) return;
    const e = JSON.parse(line);
    if (e.type !== "member") return;
    this.changes.push({
      observer,
      member: e.member.name,
      to: e.to,
      addr: e.member.addr,
      atMs: Date.parse(e.at),
    });
  }
}
