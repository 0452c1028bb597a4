/**
 * A client of the agent's control API, for the CLI commands.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import type { MemberJson } from "../agent/control.ts";
import { parseHostPort } from "../config/addr.ts";
import { RuntimeError, UsageError } from "./errors.ts";

/** Default address of the control API. */
export const DEFAULT_CONTROL = "127.0.0.1:7947";

/** Help lines for the --control-token flag of the client commands. */
export const TOKEN_USAGE =
  `  --control-token TOKEN  token the agent asks for (default RADS_CONTROL_TOKEN,
                         or the contents of RADS_CONTROL_TOKEN_FILE)`;

/** The agent answered 401: the token is missing or wrong. */
export class TokenRefusedError extends RuntimeError {}

/**
 * The control token: `--control-token`, else RADS_CONTROL_TOKEN, else the
 * contents of the file RADS_CONTROL_TOKEN_FILE names; undefined for none.
 */
export function controlToken(
  flag: unknown,
  env: Record<string, string | undefined>,
): string | undefined {
  if (typeof flag === "string") return flag;
  if (env.RADS_CONTROL_TOKEN) return env.RADS_CONTROL_TOKEN;
  const file = env.RADS_CONTROL_TOKEN_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8").replace(/\s+$/, "");
  } catch {
    throw new UsageError(
      `cannot read RADS_CONTROL_TOKEN_FILE ${JSON.stringify(file)}`,
    );
  }
}

/** Talks to one agent's control API. */
export class ControlClient {
  readonly base: string;
  readonly addr: string;
  #headers: Record<string, string>;

  /** A client of the API at `addr` (`host:port`), sending `token` if set. */
  constructor(addr: string, token?: string) {
    try {
      parseHostPort(addr);
    } catch (err) {
      throw new UsageError(`--control: ${(err as Error).message}`);
    }
    this.addr = addr;
    this.base = `http://${addr}`;
    this.#headers = token === undefined
      ? {}
      : { authorization: `Bearer ${token}` };
  }

  /** The member list and the name of the node answering. */
  async members(): Promise<{ self: string; members: MemberJson[] }> {
    const json = await this.#request("GET", "/v1/members") as {
      self: string;
      members: MemberJson[];
    };
    const ok = Array.isArray(json?.members) &&
      json.members.every((m) =>
        m && typeof m.name === "string" && typeof m.addr === "string" &&
        typeof m.state === "string"
      );
    if (!ok) {
      throw new RuntimeError(
        `${this.addr} did not answer with a member list; is it a rads-node agent?`,
      );
    }
    return json;
  }

  /** Asks the agent to join through `addrs`. */
  async join(addrs: string[]): Promise<{ joining: string[] }> {
    return await this.#request("POST", "/v1/join", { addrs }) as {
      joining: string[];
    };
  }

  /** Asks the agent to leave the cluster and exit. */
  async leave(): Promise<void> {
    await this.#request("POST", "/v1/leave", {});
  }

  /** Opens the event stream; the caller reads and cancels the body. */
  async events(signal?: AbortSignal): Promise<Response> {
    try {
      const res = await fetch(`${this.base}/v1/events`, {
        signal,
        headers: this.#headers,
      });
      if (res.status === 401) {
        await res.body?.cancel();
        throw this.#refused();
      }
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
        headers: body
          ? { ...this.#headers, "content-type": "application/json" }
          : this.#headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw this.#unreachable(err);
    }

    const text = await res.text();
    if (res.status === 401) throw this.#refused();
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

  #refused(): TokenRefusedError {
    const hint = "authorization" in this.#headers
      ? "check --control-token or RADS_CONTROL_TOKEN"
      : "none was given; use --control-token or RADS_CONTROL_TOKEN";
    return new TokenRefusedError(
      `the agent refused the control token: ${hint} (agent at ${this.addr})`,
    );
  }

  #unreachable(err: unknown): Error {
    if (err instanceof RuntimeError) return err;
    return new RuntimeError(
      `cannot reach the agent's control API at ${this.addr} ` +
        `(is "rads-node agent" running? use --control HOST:PORT)`,
    );
  }
}
