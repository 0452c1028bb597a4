/**
 * The files operators copy: the example config and the systemd unit.
 */

import assert from "node:assert/strict";
import example from "../../examples/rads.yaml" with { type: "text" };
import unit from "../../scripts/rads-node.service" with { type: "text" };
import { load, yamlTest } from "./_helpers.ts";

/** The example with the commented operator keys switched on. */
function uncommented(keys: string[]): string {
  let text = example;
  for (const key of keys) {
    text = text.replace(new RegExp(`^# (${key}:.*)$`, "m"), "$1");
  }
  // The list items of on_event follow its key.
  return text.replace(/^# {3}- /gm, "  - ");
}

yamlTest("the example config with its commented keys switched on loads", () => {
  const text = uncommented([
    "log_format",
    "on_event",
    "on_event_timeout_ms",
    "profile",
    "control_token_file",
  ]);
  const files = { "rads.yaml": text, "/etc/rads-node/control-token": "t0k\n" };
  const config = load(["--config", "rads.yaml"], {}, files);
  assert.equal(config.logFormat, "json");
  assert.equal(config.profile, "lan");
  assert.equal(config.onEventTimeoutMs, 10_000);
  assert.equal(config.onEvent.length, 2);
  assert.equal(config.controlToken, "t0k");
  // A timing in the file still beats the profile's.
  assert.equal(config.core.probeIntervalMs, 500);
});

Deno.test("the systemd unit runs the binary as a non-root user with hardening", () => {
  const lines = new Set(unit.split("\n").map((l) => l.trim()));
  const expected = [
    "ExecStart=/usr/local/bin/rads-node agent --config /etc/rads-node/rads.yaml",
    "DynamicUser=yes",
    "Restart=on-failure",
    "KillSignal=SIGTERM",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK",
    "CapabilityBoundingSet=",
  ];
  for (const line of expected) assert.ok(lines.has(line), line);
  assert.match(unit, /^TimeoutStopSec=\d+$/m);
});

const SYSTEMD_ANALYZE = findSystemdAnalyze();

function findSystemdAnalyze(): string | undefined {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin"]) {
    try {
      Deno.statSync(`${dir}/systemd-analyze`);
      return `${dir}/systemd-analyze`;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

Deno.test({
  name: "the systemd unit passes systemd-analyze verify",
  ignore: SYSTEMD_ANALYZE === undefined,
  async fn() {
    // verify wants ExecStart to exist: point it at a stand-in binary.
    const dir = await Deno.makeTempDir({ prefix: "rads-unit-" });
    try {
      const bin = `${dir}/rads-node`;
      await Deno.writeTextFile(bin, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      const path = `${dir}/rads-node.service`;
      await Deno.writeTextFile(
        path,
        unit.replaceAll("/usr/local/bin/rads-node", bin),
      );

      const out = await new Deno.Command(SYSTEMD_ANALYZE!, {
        args: ["verify", path],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(30_000),
      }).output();
      const text = new TextDecoder().decode(out.stderr) +
        new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, text);
      assert.doesNotMatch(text, /rads-node\.service/, text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (SYSTEMD_ANALYZE === undefined) {
  console.log(
    "examples_test: systemd-analyze not found; skipping verify of " +
      "scripts/rads-node.service (apt-get install systemd to run it)",
  );
}
