/**
 * Starts HashiCorp Serf agents on loopback and times what each of them saw,
 * for the side-by-side benchmark (scripts/bench_serf.ts).
 *
 * How event times are taken. Serf's log lines carry a timestamp with one
 * second resolution only ("2026/12/04 13:02:11 [INFO] serf: EventMemberFailed:
 * n3 127.0.0.1"), too coarse for sub-second figures. Polling `serf members`
 * costs a process start (about 10-20 ms) per agent per poll, so 20 agents
 * cannot be polled every 50 ms without loading the machine that is being
 * measured. Instead each agent runs at `-log-level=info` with its stdout and
 * stderr piped to us, and every line is stamped with Date.now() the moment it
 * arrives. Serf writes the "serf: EventMember*" line in the same call that
 * changes the member's status (the status `serf members` then reports), and
 * after startup its log writer is unbuffered, so the stamp trails the real
 * change by the pipe and event-loop latency: well under a few milliseconds.
 * `serf members` is used to confirm final states, not to time them.
 *
 * One exception: until a joining agent has finished its join, Serf holds its
 * log lines back and releases them all at once, so the joiner's own "agent:
 * joining" line is stamped late. The "==> Joining cluster..." banner is
 * printed directly, before the join starts, and is what marks the start of a
 * join (see joinStartMs).
 *
 * Serf has no "suspect" member status (memberlist's suspicion shows as alive
 * in `serf members`) and logs a suspicion only on the member that raised it
 * ("memberlist: Suspect n3 has failed, no acks received"), so only the first
 * suspicion anywhere can be timed, not suspicion everywhere.
 *
 * @module
 */

/** The Serf command; SERF_BIN overrides. */
export function serfBin(): string {
  return Deno.env.get("SERF_BIN") ?? "serf";
}

/** Undefined if `serf` runs here, else why not. */
export async function serfUnavailable(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(serfBin(), {
      args: ["version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(5000),
    }).output();
    return out.success ? undefined : "`serf version` failed";
  } catch (e) {
    return `serf not runnable (${(e as Error).message}); ` +
      "install it with: apt-get install -y serf";
  }
}

/** A line the agent wrote, stamped on arrival. */
export interface StampedLine {
  atMs: number;
  text: string;
}

/** A member status change as one agent saw it. */
export interface SerfEvent {
  /** The agent that logged it. */
  observer: string;
  member: string;
  /** alive (joined), failed, left; suspect = this agent suspected it. */
  to: "alive" | "failed" | "left" | "suspect";
  addr: string;
  atMs: number;
}

/** One Serf agent process. */
export interface SerfProc {
  name: string;
  port: number;
  rpcPort: number;
  /** 127.0.0.1:rpcPort, for `serf ... -rpc-addr=`. */
  rpc: string;
  child: Deno.ChildProcess;
  pid: number;
  /** Date.now() just before the process was spawned. */
  spawnMs: number;
  /** Lines written to stdout and stderr so far. */
  log: string[];
  lines: StampedLine[];
  /** Member changes parsed from the lines. */
  events: SerfEvent[];
  /** When the "==> Joining cluster" banner arrived, if it joined. */
  joinStartMs?: number;
  /** When "Log data will now stream in" arrived: started (and joined). */
  readyMs?: number;
  exited: Promise<Deno.CommandStatus>;
}

/** Options of spawnSerf(). */
export interface SpawnSerfOptions {
  name: string;
  /** UDP and TCP gossip port, bound and advertised on 127.0.0.1. */
  port: number;
  rpcPort: number;
  /** host:port literals to join at start. */
  join?: string[];
  extraArgs?: string[];
}

/** Starts `serf agent` bound to 127.0.0.1 with the default LAN profile. */
export function spawnSerf(o: SpawnSerfOptions): SerfProc {
  const args = [
    "agent",
    `-node=${o.name}`,
    `-bind=127.0.0.1:${o.port}`,
    `-advertise=127.0.0.1:${o.port}`,
    `-rpc-addr=127.0.0.1:${o.rpcPort}`,
    "-log-level=info",
    ...(o.join ?? []).map((j) => `-join=${j}`),
    ...(o.extraArgs ?? []),
  ];
  const spawnMs = Date.now();
  const child = new Deno.Command(serfBin(), {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const p: SerfProc = {
    name: o.name,
    port: o.port,
    rpcPort: o.rpcPort,
    rpc: `127.0.0.1:${o.rpcPort}`,
    child,
    pid: child.pid,
    spawnMs,
    log: [],
    lines: [],
    events: [],
    exited: child.status,
  };
  const onLine = (text: string, atMs: number) => {
    p.log.push(text);
    p.lines.push({ atMs, text });
    if (p.joinStartMs === undefined && /^==> Joining cluster/.test(text)) {
      p.joinStartMs = atMs;
    }
    if (p.readyMs === undefined && /Log data will now stream in/.test(text)) {
      p.readyMs = atMs;
    }
    const e = parseSerfLine(text);
    if (e) p.events.push({ observer: o.name, ...e, atMs });
  };
  readStamped(child.stdout, onLine);
  readStamped(child.stderr, onLine);
  return p;
}

/**
 * The member change a Serf log line reports, if any:
 * "serf: EventMemberJoin|Failed|Leave: NAME ADDR" or memberlist's
 * "Suspect NAME has failed, no acks received".
 */
export function parseSerfLine(
  text: string,
): Omit<SerfEvent, "observer" | "atMs"> | undefined {
  const m = text.match(/serf: EventMember(Join|Failed|Leave): (\S+) (\S+)/);
  if (m) {
    const to = m[1] === "Join"
      ? "alive"
      : m[1] === "Failed"
      ? "failed"
      : "left";
    return { member: m[2], to, addr: m[3] };
  }
  const s = text.match(/memberlist: Suspect (\S+) has failed/);
  if (s) return { member: s[1], to: "suspect", addr: "" };
  return undefined;
}

async function readStamped(
  stream: ReadableStream<Uint8Array>,
  onLine: (text: string, atMs: number) => void,
): Promise<void> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const atMs = Date.now();
      const parts = (rest + value).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) onLine(line.trim(), atMs);
    }
  } catch {
    // The process went away; what was read is kept.
  }
  if (rest) onLine(rest.trim(), Date.now());
}

/** One row of `serf members -format=json`. */
export interface SerfMember {
  name: string;
  /** host:port */
  addr: string;
  status: "alive" | "failed" | "left" | "leaving" | string;
}

/** The member list of the agent with RPC at 127.0.0.1:rpcPort, or undefined. */
export async function serfMembers(
  rpcPort: number,
  timeoutMs = 3000,
): Promise<SerfMember[] | undefined> {
  try {
    const out = await new Deno.Command(serfBin(), {
      args: ["members", `-rpc-addr=127.0.0.1:${rpcPort}`, "-format=json"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    if (!out.success) return undefined;
    const json = JSON.parse(new TextDecoder().decode(out.stdout));
    return (json.members ?? []).map((m: SerfMember) => ({
      name: m.name,
      addr: m.addr,
      status: m.status,
    }));
  } catch {
    return undefined;
  }
}

/**
 * The member lists of `observers` (undefined where `serf members` failed),
 * in their order, asking at most `concurrency` of them at a time: each ask
 * is a process start, and 50 of them at once would load the 2-core machine
 * being measured for no gain.
 */
export async function serfViews(
  observers: SerfProc[],
  concurrency = 8,
  timeoutMs = 5000,
): Promise<(SerfMember[] | undefined)[]> {
  const views: (SerfMember[] | undefined)[] = new Array(observers.length);
  let next = 0;
  const worker = async () => {
    while (next < observers.length) {
      const i = next++;
      views[i] = await serfMembers(observers[i].rpcPort, timeoutMs);
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(concurrency, observers.length)) },
      worker,
    ),
  );
  return views;
}

/**
 * Memberlist's push-pull interval (full state sync with one random member)
 * for an `n`-member cluster with Serf's LAN profile: 30 s, doubled above 32
 * members, tripled above 64 (memberlist's pushPullScale). A member that
 * every gossip of a change happened to miss learns of it only at its next
 * push-pull, so waits for "everyone has seen it" must allow for one.
 */
export function serfPushPullMs(n: number, baseMs = 30_000): number {
  if (n <= 32) return baseMs;
  return (Math.ceil(Math.log2(n) - Math.log2(32)) + 1) * baseMs;
}

/** Waits until the agent has started (and joined, if asked to). */
export async function waitSerfReady(
  p: SerfProc,
  timeoutMs = 15_000,
): Promise<void> {
  const start = Date.now();
  let exited = false;
  p.exited.then(() => exited = true);
  while (p.readyMs === undefined) {
    if (exited) {
      throw new Error(
        `serf ${p.name} exited during start:\n${p.log.slice(-10).join("\n")}`,
      );
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `serf ${p.name} not ready after ${timeoutMs} ms:\n` +
          p.log.slice(-10).join("\n"),
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Sends `signal` (SIGINT = graceful leave, SIGTERM or SIGKILL = none) and
 * waits for the exit; SIGKILL after `graceMs` if it has not exited by then.
 */
export async function stopSerf(
  p: SerfProc,
  signal: Deno.Signal = "SIGKILL",
  graceMs = 15_000,
): Promise<Deno.CommandStatus> {
  try {
    p.child.kill(signal);
  } catch {
    // Already gone.
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((r) => {
    timer = setTimeout(() => r("late"), graceMs);
  });
  const first = await Promise.race([p.exited, late]);
  clearTimeout(timer);
  if (first === "late") {
    try {
      p.child.kill("SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  return await p.exited;
}

/**
 * The time at which the last of `observers` logged `member` reaching one of
 * `states` at or after `sinceMs`, or undefined while some have not.
 */
export function lastSeen(
  observers: SerfProc[],
  member: string,
  states: SerfEvent["to"][],
  sinceMs: number,
): number | undefined {
  let last = -Infinity;
  for (const o of observers) {
    const hit = o.events.find((e) =>
      e.member === member && states.includes(e.to) && e.atMs >= sinceMs
    );
    if (!hit) return undefined;
    last = Math.max(last, hit.atMs);
  }
  return last;
}

/** The earliest time any of `observers` logged `member` reaching `states`. */
export function firstSeen(
  observers: SerfProc[],
  member: string,
  states: SerfEvent["to"][],
  sinceMs: number,
): number | undefined {
  let first = Infinity;
  for (const o of observers) {
    const hit = o.events.find((e) =>
      e.member === member && states.includes(e.to) && e.atMs >= sinceMs
    );
    if (hit) first = Math.min(first, hit.atMs);
  }
  return first === Infinity ? undefined : first;
}

/**
 * Whether `serf members` on every observer lists `member` with `status`
 * (or one of them; a cross-check of the log-derived times).
 */
export async function serfAllSee(
  observers: SerfProc[],
  member: string,
  status: string | string[],
): Promise<boolean> {
  const ok = typeof status === "string" ? [status] : status;
  const views = await serfViews(observers);
  return views.every((v) =>
    v?.some((m) => m.name === member && ok.includes(m.status)) ?? false
  );
}
