/**
 * A client of the agent's control API, for the CLI commands.
 *
 * @module
 */

import type { MemberJson } from "../agent/control.ts";
import { parseHostPort } from "../config/addr.ts";
import { RuntimeError, UsageError } from "./errors.ts";

/** Default address of the control API. */
export const DEFAULT_CONTROL = "127.0.0.1:7947";

/** Talks to one agent's control API. */
export class ControlClient {
  readonly base: string;
  readonly addr: string;

  /** A client of the API at `addr` (`host:port`). */
  constructor(addr: string) {
    try {
      parseHostPort(addr);
    } catch (err) {
      throw new UsageError(`--control: ${(err as Error).message}`);
    }
    this.addr = addr;
    this.base = `http://${addr}`;
  }

  /** The member list and the name of the node answering. */
  async members(): Promise<{ self: string; members: MemberJson[] }> {
    return await this.#request("GET", "/v1/members") as {
      self: string;
      members: MemberJson[];
    };
  }

  /** Asks the agent to join through `addrs`. */
  async join(addrs: string[]): Promise<{ joining: string[] }> {
    return await this.#request("POST", "/v1/join", { addrs }) as {
      joining: string[];
    };
  }

  /** Asks the agent to leave the cluster and exit. */
  async leave(): Promise<void> {
    await this.#request("POST", "/v1/leave");
  }

  /** Opens the event stream; the caller reads and cancels the body. */
  async events(signal?: AbortSignal): Promise<Response> {
    try {
      const res = await fetch(`${this.base}/v1/events`, { signal });
      if (!res.ok) throw new RuntimeError(`events: HTTP ${res.status}`);
      return res;
    } catch (err) {
      throw this.#unreachable(err);
    }
  }

  async #request(method: string, path: string, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: body ? { "content-type": "application/json" } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw this.#unreachable(err);
    }

    const text = await res.text();
    let json: { error?: string } | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const why = json?.error ?? `HTTP ${res.status}`;
      throw new RuntimeError(`agent at ${this.addr} refused: ${why}`);
    }
    if (json === undefined) {
      throw new RuntimeError(`agent at ${this.addr} sent a non-JSON answer`);
    }
    return json;
  }

  #unreachable(err: unknown): Error {
    if (err instanceof RuntimeError) return err;
    return new RuntimeError(
      `cannot reach the agent's control API at ${this.addr} ` +
        `(is "rads-node agent" running? use --control HOST:PORT)`,
    );
  }
}
