/**
 * The control API: HTTP + JSON, on loopback by default, for the CLI, the
 * watch view and monitoring.
 *
 * GET  /v1/members   the member list
 * GET  /v1/events    a snapshot, then one JSON line per event (NDJSON)
 * GET  /v1/stats     the node's counters
 * POST /v1/join      {"addrs": ["host:port", ...]}
 * POST /v1/leave     leave gracefully; the agent exits afterwards
 * GET  /metrics      the counters in Prometheus text format
 * GET  /health       200 while the node runs, 503 once it leaves
 *
 * With a token set, every request but GET /health must carry
 * `Authorization: Bearer TOKEN`.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { ServerResponse } from "node:http";
import type { Member, NodeEvent } from "../core/mod.ts";
import { runtimeName } from "../net/select.ts";
import { COMMIT, VERSION } from "../version.ts";
import type { Agent } from "./agent.ts";
import type { Logger } from "./log.ts";
import {
  type BuildInfo,
  type HookStats,
  METRICS_CONTENT_TYPE,
  renderMetrics,
} from "./metrics.ts";

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
  /**
   * Bearer token every request but `GET /health` must carry; none means
   * no check (loopback only, which the config enforces).
   * @default {undefined}
   */
  token?: string;
  /** Event handlers, whose counters /metrics shows. @default {undefined} */
  hooks?: { stats(): HookStats };
  /** Build labels of /metrics. @default {this build and runtime} */
  build?: BuildInfo;
  /** When the agent started, for uptime. @default {when the API started} */
  startedAtMs?: number;
}

/** ControlDeps with the defaults filled in. */
interface Resolved extends ControlDeps {
  build: BuildInfo;
  startedAtMs: number;
  /** SHA-256 of the token, so every comparison has the same length. */
  tokenDigest?: Uint8Array;
}

/** Starts the control API on `host:port`; rejects if it cannot bind. */
export function startControl(
  host: string,
  port: number,
  deps: ControlDeps,
): Promise<Server> {
  const resolved: Resolved = {
    build: { version: VERSION, commit: COMMIT, runtime: runtimeName() },
    startedAtMs: Date.now(),
    ...deps,
    tokenDigest: deps.token === undefined ? undefined : digest(deps.token),
  };
  const server = createServer((req, res) => {
    route(req, res, resolved).catch((err) => {
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
  deps: Resolved,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  const key = `${req.method} ${path}`;
  const refused = browserRefusal(req);
  if (refused) {
    deps.log.debug("control request refused", { path, reason: refused });
    return reply(res, 403, { error: refused });
  }
  // Health checks come from load balancers and service managers that hold
  // no token; the answer tells nothing an attacker could use.
  if (key !== "GET /health" && !isAuthorized(req, deps)) {
    deps.log.debug("control request refused", { path, reason: "token" });
    res.writeHead(401, {
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="rads-node"',
    });
    res.end(JSON.stringify({ error: "missing or wrong control token" }) + "\n");
    return;
  }
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
    case "GET /metrics":
      return replyMetrics(res, deps);
    case "GET /health":
      return replyHealth(res, deps.agent);
    case "POST /v1/join":
      return await onJoin(req, res, deps);
    case "POST /v1/leave":
      reply(res, 202, { status: "leaving" });
      await deps.agent.leave();
      deps.onLeft();
      return;
  }
  const known = ["/v1/members", "/v1/events", "/v1/stats", "/v1/join"];
  if ([...known, "/v1/leave", "/metrics", "/health"].includes(path)) {
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
    res.on("finish", () => req.socket.destroy());
    res.setHeader("connection", "close");
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

/** 503 once a leave has started, so balancers stop sending work at once. */
function replyHealth(res: ServerResponse, agent: Agent): void {
  if (agent.isStopped || agent.self().state === "left") {
    return reply(res, 503, { status: "leaving", node: agent.name });
  }
  reply(res, 200, { status: "ok", node: agent.name });
}

function replyMetrics(res: ServerResponse, deps: Resolved): void {
  const text = renderMetrics({
    stats: deps.agent.stats(),
    members: deps.agent.members(),
    build: deps.build,
    uptimeMs: Date.now() - deps.startedAtMs,
    hooks: deps.hooks?.stats(),
  });
  res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE });
  res.end(text);
}

/**
 * Whether the request carries the token. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or the first
 * wrong byte.
 */
function isAuthorized(req: IncomingMessage, deps: Resolved): boolean {
  if (deps.tokenDigest === undefined) return true;
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const given = digest(match ? match[1] : "");
  return timingSafeEqual(given, deps.tokenDigest) && match !== null;
}

function digest(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text).digest());
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

/**
 * Why a request that a web page could have made is refused, if it is one.
 * A page in a browser on this machine can reach loopback: it sends an
 * Origin header on cross-site requests, and a DNS-rebinding page sends its
 * own host name as Host. Our clients send neither, and always JSON.
 */
export function browserRefusal(req: IncomingMessage): string | undefined {
  if (req.headers.origin !== undefined) {
    return "requests from web pages are not accepted";
  }
  const host = (req.headers.host ?? "").toLowerCase();
  const name = host.startsWith("[")
    ? host.slice(1, host.indexOf("]"))
    : host.split(":")[0];
  if (host !== "" && name !== "localhost" && !isIP(name)) {
    return `the Host header must be an address, not "${host.slice(0, 64)}"`;
  }
  const type = req.headers["content-type"] ?? "";
  if (req.method === "POST" && !/^application\/json\b/i.test(type)) {
    return "POST requests must have content-type application/json";
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk: Uint8Array) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answer 413 first; the connection is closed once it is sent.
        req.removeAllListeners("data");
        req.pause();
        resolve(undefined);
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
