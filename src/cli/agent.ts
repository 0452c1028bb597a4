/**
 * `rads-node agent`: run one node until it is told to leave.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { cpus, hostname, networkInterfaces, totalmem } from "node:os";
import process from "node:process";
import { Agent } from "../agent/agent.ts";
import { startControl } from "../agent/control.ts";
import { EventHooks } from "../agent/hooks.ts";
import { Logger, stderrSink } from "../agent/log.ts";
import {
  type AgentConfig,
  agentUsage,
  formatHostPort,
  isUnspecifiedHost,
  loadAgentConfig,
  parseHostPort,
} from "../config/mod.ts";
import type { MemberMeta } from "../core/mod.ts";
import { resolveAddrs } from "../net/resolve.ts";
import { bindUdp } from "../net/select.ts";
import type { Transport } from "../net/transport.ts";
import { RuntimeError, UsageError } from "./errors.ts";

/** Runs the agent; resolves with the exit code once it has stopped. */
export async function runAgent(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const loaded = loadAgentConfig({
    argv,
    env,
    readTextFile: (path) => readFileSync(path, "utf8"),
    hostname: safeHostname(),
  });
  if (loaded.help) {
    console.log(agentUsage());
    return 0;
  }
  const cfg = loaded.config;
  const startedAtMs = Date.now();
  const log = new Logger(cfg.logLevel, stderrSink(), Date.now, cfg.logFormat);
  for (const w of loaded.warnings) log.warn(w);

  // Resolve seeds before binding anything, so a typo fails fast.
  let seeds: string[];
  try {
    seeds = await resolveAddrs(cfg.join);
  } catch (err) {
    throw new UsageError(`--join: ${(err as Error).message}`);
  }

  const transport = await bindTransport(cfg.bind);
  const agent = new Agent(cfg.core, {
    name: cfg.name,
    addr: advertiseAddr(cfg, transport.localAddr, () =>
      log.warn(
        "no non-loopback IPv4 address found; advertising 127.0.0.1, " +
          "which other machines cannot reach: set --advertise",
      )),
    meta: detectMeta(cfg.tags),
    // A new run outranks what others remember of an earlier run of the
    // same name: its first incarnation is the wall clock in seconds.
    incarnation: Math.floor(Date.now() / 1000),
  }, { transport, log });
  const hooks = startHooks(cfg, agent, log);

  let server;
  try {
    const { host, port } = parseHostPort(cfg.control, undefined, {
      allowZero: true,
    });
    server = await startControl(host, port, {
      agent,
      log,
      resolve: resolveAddrs,
      onLeft: () => {},
      token: cfg.controlToken,
      hooks,
      startedAtMs,
    });
  } catch (err) {
    await agent.stop();
    await hooks?.close(0);
    throw new RuntimeError(
      `cannot start control API on ${cfg.control}: ${describe(err)}`,
    );
  }
  // With port 0 the system picked one: log the address actually bound.
  const bound = server.address();
  log.info("control api listening", {
    addr: bound && typeof bound === "object"
      ? formatHostPort(bound.address, bound.port)
      : cfg.control,
    token: cfg.controlToken !== undefined,
  });

  // The first signal leaves gracefully; a second one stops at once.
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals === 1) return void agent.leave();
    log.warn("second signal: stopping without finishing the goodbye");
    agent.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  if (seeds.length > 0) agent.join(seeds);
  await agent.stopped;

  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  server.closeAllConnections?.();
  server.close();
  // Handlers of the goodbye get a few seconds before the process exits.
  await hooks?.close();
  return 0;
}

/** Event handlers following `agent`, or undefined when none are set. */
function startHooks(
  cfg: AgentConfig,
  agent: Agent,
  log: Logger,
): EventHooks | undefined {
  if (cfg.onEvent.length === 0) return undefined;
  const hooks = new EventHooks({
    commands: cfg.onEvent,
    timeoutMs: cfg.onEventTimeoutMs,
    selfName: cfg.name,
    log,
  });
  hooks.attach(agent.hub);

  // The core announces no event for itself at start; handlers, as in Serf,
  // hear of this node joining too.
  const self = agent.self();
  hooks.handle({
    type: "member",
    from: null,
    member: self,
    atMs: self.stateChangedAtMs,
  });
  log.info("event handlers ready", { commands: cfg.onEvent.length });
  return hooks;
}

async function bindTransport(bind: string): Promise<Transport> {
  try {
    return await bindUdp(bind);
  } catch (err) {
    throw new RuntimeError(`cannot bind UDP ${bind}: ${describe(err)}`);
  }
}

/** The address others should use: --advertise, or the bound address. */
function advertiseAddr(
  cfg: AgentConfig,
  boundAddr: string,
  onLoopbackOnly?: () => void,
): string {
  if (cfg.advertise) {
    const adv = parseHostPort(cfg.advertise);
    return formatHostPort(adv.host, adv.port);
  }
  const bound = parseHostPort(boundAddr);
  if (!isUnspecifiedHost(bound.host)) return boundAddr;
  const external = firstExternalIPv4();
  if (!external) {
    onLoopbackOnly?.();
    return formatHostPort("127.0.0.1", bound.port);
  }
  return formatHostPort(external, bound.port);
}

function firstExternalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family === "IPv4" && !i.internal) return i.address;
    }
  }
  return undefined;
}

/** Resources of this machine plus the user's tags. */
export function detectMeta(tags: Record<string, string>): MemberMeta {
  let cpuCount = 0;
  let memoryMiB = 0;
  try {
    cpuCount = cpus().length;
    memoryMiB = Math.round(totalmem() / (1024 * 1024));
  } catch {
    // Without permission to read system information, report unknown (0).
  }
  return { cpus: Math.min(cpuCount, 65535), memoryMiB, tags };
}

function safeHostname(): string {
  try {
    return hostname();
  } catch {
    return "rads-node";
  }
}

function describe(err: unknown): string {
  const name = (err as { name?: string }).name;
  if (name === "AddrInUse") return "address already in use";
  if (name === "PermissionDenied" || name === "NotCapable") {
    return "permission denied";
  }
  const code = (err as { code?: string }).code;
  if (code === "EADDRINUSE") return "address already in use";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}
