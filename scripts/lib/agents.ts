/**
 * Starts rads-node agents as separate processes on loopback and watches
 * them through their control APIs. Shared by the end-to-end tests and the
 * benchmark.
 *
 * @module
 */

import type { MemberJson } from "../../src/agent/control.ts";

/** How to start the program: the command and the arguments before `agent`. */
export interface Launcher {
  cmd: string;
  args: string[];
}

/**
 * The program under test: `RADSNODE_TEST_BIN` if set (a compiled binary), else the
 * sources run by this Deno.
 */
export function defaultLauncher(): Launcher {
  const bin = Deno.env.get("RADSNODE_TEST_BIN");
  if (bin) return { cmd: bin, args: [] };
  const main = new URL("../../main.ts", import.meta.url).pathname;
  return {
    cmd: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      main,
    ],
  };
}

/** One agent process. */
export interface AgentProc {
  name: string;
  udpPort: number;
  controlPort: number;
  control: string;
  child: Deno.ChildProcess;
  /** Lines the agent wrote to stderr so far. */
  log: string[];
  exited: Promise<Deno.CommandStatus>;
}

/** Options of spawnAgent(). */
export interface SpawnOptions {
  name: string;
  udpPort: number;
  controlPort: number;
  join?: string[];
  extraArgs?: string[];
  launcher?: Launcher;
  env?: Record<string, string>;
}

/** Starts an agent bound to 127.0.0.1. */
export function spawnAgent(o: SpawnOptions): AgentProc {
  const launcher = o.launcher ?? defaultLauncher();
  const args = [
    ...launcher.args,
    "agent",
    "--name",
    o.name,
    "--bind",
    `127.0.0.1:${o.udpPort}`,
    "--control",
    `127.0.0.1:${o.controlPort}`,
    ...(o.join && o.join.length > 0 ? ["--join", o.join.join(",")] : []),
    ...(o.extraArgs ?? []),
  ];
  const child = new Deno.Command(launcher.cmd, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", ...o.env },
  }).spawn();

  const log: string[] = [];
  collectLines(child.stderr, log);
  return {
    name: o.name,
    udpPort: o.udpPort,
    controlPort: o.controlPort,
    control: `127.0.0.1:${o.controlPort}`,
    child,
    log,
    exited: child.status,
  };
}

async function collectLines(
  stream: ReadableStream<Uint8Array>,
  into: string[],
): Promise<void> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const parts = (rest + value).split("\n");
      rest = parts.pop() ?? "";
      into.push(...parts);
    }
  } catch {
    // The process went away; what was read is kept.
  }
  if (rest) into.push(rest);
}

/** The member list of the agent at `control`, or undefined if unreachable. */
export async function membersOf(
  control: string,
): Promise<MemberJson[] | undefined> {
  try {
    const res = await fetch(`http://${control}/v1/members`, {
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    return (await res.json()).members as MemberJson[];
  } catch {
    return undefined;
  }
}

/** Polls `check` every `everyMs` until it returns true or time runs out. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Whether every agent in `observers` sees `subject` in `state` (and, for
 * alive, at `addr` when given).
 */
export async function allSee(
  observers: AgentProc[],
  subject: string,
  state: MemberJson["state"],
  addr?: string,
): Promise<boolean> {
  const views = await Promise.all(observers.map((o) => membersOf(o.control)));
  return views.every((list) => {
    const m = list?.find((x) => x.name === subject);
    return m !== undefined && m.state === state &&
      (addr === undefined || m.addr === addr);
  });
}

/** Whether every agent sees every name in `names` alive. */
export async function converged(
  agents: AgentProc[],
  names: string[],
): Promise<boolean> {
  for (const n of names) {
    if (!(await allSee(agents, n, "alive"))) return false;
  }
  return true;
}

/**
 * A block of `count` consecutive ports, all free for UDP and TCP on
 * 127.0.0.1 right now, starting at a random place.
 */
export function freePortBlock(count: number): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    if (rangeIsFree(base, count)) return base;
  }
  throw new Error(`no block of ${count} free ports found`);
}

function rangeIsFree(base: number, count: number): boolean {
  const held: { close(): void }[] = [];
  try {
    for (let p = base; p < base + count; p++) {
      held.push(Deno.listen({ hostname: "127.0.0.1", port: p }));
      held.push(
        Deno.listenDatagram({
          hostname: "127.0.0.1",
          port: p,
          transport: "udp",
        }),
      );
    }
    return true;
  } catch {
    return false;
  } finally {
    for (const h of held) h.close();
  }
}

/** Sends `signal` to an agent if it still runs, and waits for its exit. */
export async function stopAgent(
  a: AgentProc,
  signal: Deno.Signal = "SIGKILL",
): Promise<Deno.CommandStatus> {
  try {
    a.child.kill(signal);
  } catch {
    // Already gone.
  }
  return await a.exited;
}
