/**
 * The demo and its watch view, driven in a real terminal (tmux) the way a
 * user would: read the screen, crash a node by key and see it go SUSPECT
 * then DEAD; make another leave and see LEFT.
 */

import assert from "node:assert/strict";
import { defaultLauncher, waitFor } from "../../scripts/lib/agents.ts";

function tmuxAvailable(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args, stderr: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

/** The screen as text, one string per row. */
async function screen(session: string): Promise<string[]> {
  return (await tmux("capture-pane", "-p", "-t", session)).split("\n");
}

/** The table row of member `name` (the first line that starts with it). */
function rowOf(lines: string[], name: string): string | undefined {
  const pattern = new RegExp(`^\\W*${name}\\s`);
  return lines.find((l) => pattern.test(l.trimStart()));
}

async function keys(session: string, ...k: string[]): Promise<void> {
  for (const key of k) {
    await tmux("send-keys", "-t", session, key);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Selects the member `name` by searching for it. */
async function select(session: string, name: string): Promise<void> {
  await keys(session, "/");
  await tmux("send-keys", "-t", session, "-l", name);
  await keys(session, "Enter");
}

Deno.test({
  name:
    "the demo in a terminal shows a crashed node go SUSPECT then DEAD, and a leaving node LEFT",
  ignore: !tmuxAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const session = `rads-e2e-${Deno.pid}`;
    const launcher = defaultLauncher();
    // A user's terminal: a real TERM, and no CI variable (some terminal
    // libraries draw nothing when CI is set).
    const command = [
      "env",
      "-u",
      "CI",
      "TERM=xterm-256color",
      "NO_COLOR=1",
      launcher.cmd,
      ...launcher.args,
      "demo",
      "--nodes",
      "5",
    ].map((a) => `'${a}'`).join(" ");
    await tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "160",
      "-y",
      "45",
      command,
    );

    try {
      await waitFor(
        "five ALIVE members on screen",
        async () => {
          const lines = await screen(session);
          return ["n1", "n2", "n3", "n4", "n5"].every((n) =>
            /ALIVE/.test(rowOf(lines, n) ?? "")
          );
        },
        30_000,
        200,
      );

      await select(session, "n3");
      await keys(session, "x");
      await waitFor(
        "n3 SUSPECT on screen",
        async () => {
          const row = rowOf(await screen(session), "n3") ?? "";
          return /SUSPECT|DEAD/.test(row);
        },
        15_000,
        100,
      );
      await waitFor(
        "n3 DEAD on screen",
        async () => {
          return /DEAD/.test(rowOf(await screen(session), "n3") ?? "");
        },
        20_000,
        200,
      );

      const lines = await screen(session);
      const changes = lines.filter((l) => /n3/.test(l) && /→|->/.test(l));
      assert.ok(
        changes.some((l) => /suspect/i.test(l)),
        `no SUSPECT change listed for n3:\n${lines.join("\n")}`,
      );

      await select(session, "n4");
      await keys(session, "l");
      await waitFor(
        "n4 LEFT on screen",
        async () => {
          return /LEFT/.test(rowOf(await screen(session), "n4") ?? "");
        },
        15_000,
        200,
      );

      await keys(session, "Escape", "q");
      await waitFor(
        "the demo to exit",
        async () => {
          const sessions = await tmux("list-sessions");
          return !sessions.includes(session);
        },
        10_000,
        200,
      );
    } finally {
      await tmux("kill-session", "-t", session).catch(() => "");
    }
  },
});
