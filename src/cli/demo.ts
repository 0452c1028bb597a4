/**
 * `rads-node demo`: a small cluster on loopback, over real UDP, in one
 * process, shown in the watch view, with keys to crash, freeze, stop,
 * restart and add nodes.
 *
 * @module
 */

import process from "node:process";
import { Agent } from "../agent/agent.ts";
import { eventJson, snapshotJson } from "../agent/control.ts";
import { Logger } from "../agent/log.ts";
import { defaultCoreOptions } from "../core/mod.ts";
import { bindUdp } from "../net/select.ts";
import { parseFlags } from "./args.ts";
import { detectMeta } from "./agent.ts";
import { UsageError } from "./errors.ts";
import type { FollowHandlers } from "./_follow.ts";
import { runScreen } from "./_screen.ts";

/** How long `z` freezes a node: past suspicion, short of death. */
const FREEZE_MS = 1800;

/** Help for `rads-node demo`. */
export const DEMO_USAGE = `Usage: rads-node demo [--nodes N]

Starts N nodes (default 5, at most 50) on 127.0.0.1 over real UDP in this
process and opens the watch view on them. Select a node, then:

  x  crash it (no goodbye): SUSPECT, then DEAD everywhere
  z  freeze it for ${
  FREEZE_MS / 1000
} s: SUSPECT, then ALIVE again when it refutes
  l  make it leave gracefully: LEFT everywhere
  r  restart it under the same name on a new port: ALIVE again
  n  add a new node

and the usual watch keys (q quits, ? lists them all).

Options:
  --nodes N   how many nodes to start (1..50, default 5)
  -h, --help  show this help
`;

/** Runs the demo; returns the exit code. */
export async function runDemo(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = parseFlags("demo", argv, {
    nodes: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(DEMO_USAGE);
    return 0;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError(
      "demo: needs a terminal (it draws a full-screen view); " +
        "for a log of changes, run agents and use rads-node watch | cat",
    );
  }
  const count = Number(values.nodes ?? "5");
  if (!Number.isInteger(count) || count < 1 || count > 50) {
    throw new UsageError(
      `demo: --nodes must be a whole number from 1 to 50: got "${values.nodes}"`,
    );
  }

  const demo = new DemoCluster();
  for (let i = 1; i <= count; i++) await demo.add();
  try {
    return await runScreen({
      title: `demo on 127.0.0.1, ${count} nodes`,
      color: env.NO_COLOR === undefined || env.NO_COLOR === "",
      start: (feed, signal) => demo.follow(feed, signal),
      actions: {
        hints: "x crash  z freeze  l leave  r restart  n add",
        onKey: (key, selected) => demo.act(key, selected),
      },
    });
  } finally {
    await demo.stopAll();
  }
}

/** The in-process cluster behind the demo. */
class DemoCluster {
  #agents = new Map<string, Agent>();
  #next = 1;
  #seed: string | undefined;
  #viewpoint: string | undefined;
  #switch: (() => void) | undefined;

  /** Starts a new node called n<next>. */
  async add(): Promise<string> {
    const name = `n${this.#next++}`;
    await this.#start(name);
    return name;
  }

  /** Carries out a demo key on the selected member; returns a status. */
  act(key: string, selected: string | undefined): string | undefined {
    if (key === "n") {
      const name = `n${this.#next}`;
      this.add();
      return `starting ${name}`;
    }
    if (!["x", "z", "l", "r"].includes(key)) return undefined;
    if (!selected) return "select a node first";

    const agent = this.#agents.get(selected);
    const running = agent !== undefined && !agent.isStopped;
    switch (key) {
      case "x":
        if (!running) return `${selected} is not running`;
        agent.stop();
        return `crashed ${selected}`;
      case "z":
        if (!running) return `${selected} is not running`;
        agent.freeze(FREEZE_MS);
        return `froze ${selected} for ${FREEZE_MS / 1000} s`;
      case "l":
        if (!running) return `${selected} is not running`;
        agent.leave();
        return `${selected} is leaving`;
      case "r":
        if (running) agent.stop();
        this.#start(selected);
        return `restarting ${selected}`;
    }
    return undefined;
  }

  /**
   * Feeds the view from one running node's events, moving to another node
   * when that one stops, until `signal` aborts.
   */
  async follow(feed: FollowHandlers, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const agent = this.#pickViewpoint();
      if (!agent) {
        feed.onStatus({
          status: "disconnected",
          retryInMs: 500,
          error: "no node is running; press n to add one",
        });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      await this.#followOne(agent, feed, signal);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((a) => a.stop()));
  }

  async #followOne(
    agent: Agent,
    feed: FollowHandlers,
    signal: AbortSignal,
  ): Promise<void> {
    const sub = agent.hub.subscribe();
    const end = () => sub.close();
    signal.addEventListener("abort", end, { once: true });
    this.#switch = end;

    feed.onStatus({ status: "connected" });
    feed.onLine(snapshotJson(agent));
    for await (const { seq, event } of sub) {
      const line = eventJson(seq, event);
      if (line) feed.onLine(line as Record<string, unknown>);
    }
    signal.removeEventListener("abort", end);
  }

  #pickViewpoint(): Agent | undefined {
    const current = this.#viewpoint && this.#agents.get(this.#viewpoint);
    if (current && !current.isStopped) return current;

    const next = [...this.#agents.values()].find((a) => !a.isStopped);
    this.#viewpoint = next?.name;
    return next;
  }

  async #start(name: string): Promise<void> {
    const transport = await bindUdp("127.0.0.1:0");
    // The demo's nodes log nowhere: the screen is the log.
    const agent = new Agent(defaultCoreOptions(), {
      name,
      addr: transport.localAddr,
      meta: detectMeta({ demo: "yes" }),
      incarnation: Math.floor(Date.now() / 1000),
    }, { transport, log: new Logger("error", () => {}) });
    this.#agents.set(name, agent);

    if (this.#seed === undefined) this.#seed = transport.localAddr;
    else agent.join(this.#joinTargets(name));

    // When the node being watched stops, the feed moves to another one.
    agent.stopped.then(() => {
      if (this.#viewpoint === name) this.#switch?.();
    });
  }

  /** Join through the first node and any other running one. */
  #joinTargets(except: string): string[] {
    const others = [...this.#agents.values()]
      .filter((a) => a.name !== except && !a.isStopped)
      .map((a) => a.self().addr);
    return [...new Set([this.#seed!, ...others.slice(0, 2)])];
  }
}
