/**
 * The control API: HTTP + JSON on loopback, for the CLI and the watch view.
 *
 * GET  /v1/members   the member list
 * GET  /v1/events    a snapshot, then one JSON line per event (NDJSON)
 * GET  /v1/stats     the node's counters
 * POST /v1/join      {"addrs": ["host:port", ...]}
 * POST /v1/leave     leave gracefully; the agent exits afterwards
 * GET  /health       200 while the node runs
 *
 * @module
 */

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { ServerResponse } from "node:http";
import type { Member, NodeEvent } from "../core/mod.ts";
import type { Agent } from "./agent.ts";
import type { Logger } from "./log.ts";

/** A member as the control API shows it. */
export interface MemberJson {
  name: string;
  addr: string;
  state: Member["state"];
  incarnation: number;
  tags: Record<string, string>;
  cpus: number;
  memoryMiB: number;
  /** ISO time at which this node saw the last state change. */
  since: string;
  by?: string;
}

/** Turns a member into its JSON form. */
export function memberJson(m: Member): MemberJson {
  return {
    name: m.name,
    addr: m.addr,
    state: m.state,
    incarnation: m.incarnation,
    tags: m.meta.tags,
    cpus: m.meta.cpus,
    memoryMiB: m.meta.memoryMiB,
    since: new Date(m.stateChangedAtMs).toISOString(),
    by: m.by,
  };
}

/** Turns a core event into a line of the event stream, or undefined. */
export function eventJson(seq: number, e: NodeEvent): object | undefined {
  const at = new Date(e.atMs).toISOString();
  switch (e.type) {
    case "member":
      return {
        type: "member",
        seq,
        at,
        from: e.from,
        to: e.member.state,
        by: e.by,
        member: memberJson(e.member),
      };
    case "reaped":
      return { type: "reaped", seq, at, name: e.name };
    default:
      return undefined;
  }
}

/** The first line of the event stream: every member as of now. */
export function snapshotJson(agent: Agent): Record<string, unknown> {
  return {
    type: "snapshot",
    seq: agent.hub.lastSeq,
    self: agent.name,
    members: agent.members().map(memberJson),
  };
}

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** Keep-alive line on the event stream, so dead readers are noticed. */
const HEARTBEAT_MS = 10_000;

/** What the control server needs from its host. */
export interface ControlDeps {
  agent: Agent;
  log: Logger;
  /** Resolves seed addresses for a join; throws on a bad one. */
  resolve: (addrs: string[]) => Promise<string[]>;
  /** Called after a leave requested over the API has finished. */
  onLeft: () => void;
}

/** Starts the control API on `host:port`; rejects if it cannot bind. */
export function startControl(
  host: string,
  port: number,
  deps: ControlDeps,
): Promise<Server> {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((err) => {
      deps.log.debug("control request failed", { error: String(err) });
      reply(res, 500, { error: "internal error" });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ControlDeps,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  const key = `${req.method} ${path}`;
  switch (key) {
    case "GET /v1/members":
      return reply(res, 200, {
        self: deps.agent.name,
        members: deps.agent.members().map(memberJson),
      });
    case "GET /v1/events":
      return streamEvents(res, deps.agent);
    case "GET /v1/stats":
      return reply(res, 200, deps.agent.stats());
    case "GET /health":
      return reply(res, 200, { status: "ok", node: deps.agent.name });
    case "POST /v1/join":
      return await onJoin(req, res, deps);
    case "POST /v1/leave":
      reply(res, 202, { status: "leaving" });
      await deps.agent.leave();
      deps.onLeft();
      return;
  }
  const known = ["/v1/members", "/v1/events", "/v1/stats", "/v1/join"];
  if ([...known, "/v1/leave", "/health"].includes(path)) {
    return reply(res, 405, { error: `method ${req.method} not allowed` });
  }
  reply(res, 404, { error: `no such endpoint: ${path}` });
}

async function onJoin(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ControlDeps,
): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    return reply(res, 413, { error: "request body too large" });
  }

  let addrs: unknown;
  try {
    addrs = (JSON.parse(body) as { addrs?: unknown })?.addrs;
  } catch {
    return reply(res, 400, { error: "request body is not valid JSON" });
  }
  const valid = Array.isArray(addrs) && addrs.length > 0 &&
    addrs.length <= 64 && addrs.every((a) => typeof a === "string");
  if (!valid) {
    return reply(res, 400, {
      error: 'expected {"addrs": ["host:port", ...]} with 1 to 64 entries',
    });
  }

  let resolved: string[];
  try {
    resolved = await deps.resolve(addrs as string[]);
  } catch (err) {
    return reply(res, 400, { error: (err as Error).message });
  }
  deps.agent.join(resolved);
  reply(res, 200, { joining: resolved });
}

function streamEvents(res: ServerResponse, agent: Agent): void {
  const sub = agent.hub.subscribe();
  res.writeHead(200, {
    "content-type": "application/x-ndjson",
    "cache-control": "no-store",
  });

  // A snapshot first, so a reader needs no second request to be complete.
  const write = (obj: object) => res.write(JSON.stringify(obj) + "\n");
  write(snapshotJson(agent));

  const beat = setInterval(() => write({ type: "heartbeat" }), HEARTBEAT_MS);
  res.on("close", () => {
    clearInterval(beat);
    sub.close();
  });
  (async () => {
    for await (const { seq, event } of sub) {
      const line = eventJson(seq, event);
      if (line) write(line);
    }
    clearInterval(beat);
    res.end();
  })();
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk: Uint8Array) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(new TextDecoder().decode(concat(chunks))));
    req.on("error", reject);
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
}
