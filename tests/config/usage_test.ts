import assert from "node:assert/strict";
import { defaultCoreOptions } from "../../src/core/options.ts";
import { agentUsage } from "../../src/config/mod.ts";

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

Deno.test("agentUsage() lists every flag with its default", () => {
  const usage = agentUsage();
  const flags = [
    "--name",
    "--bind",
    "--advertise",
    "--join",
    "--tag",
    "--control",
    "--config",
    "--log-level",
    "-h, --help",
  ];
  for (const flag of flags) assert.ok(usage.includes(`  ${flag} `), flag);

  for (const [key, value] of Object.entries(defaultCoreOptions())) {
    const line = new RegExp(
      `--${kebab(key)} [^\\n]*(\\n {30}[^\\n]*)*\\(default: ${value}\\)`,
    );
    assert.match(usage, line, key);
  }
});

Deno.test("agentUsage() explains env names, YAML names and precedence", () => {
  const usage = agentUsage();
  assert.ok(usage.includes("RADS_PROBE_INTERVAL_MS"));
  assert.ok(usage.includes("probe_interval_ms"));
  assert.ok(usage.includes("RADS_TAGS"));
  assert.ok(usage.includes("Precedence"));
  assert.ok(usage.includes("Example:"));
});

Deno.test("agentUsage() fits in 80 columns", () => {
  for (const line of agentUsage().split("\n")) {
    assert.ok(line.length <= 80, line);
  }
});
