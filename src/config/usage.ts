/**
 * The help text of `rads-node agent`.
 *
 * @module
 */

import { type CoreOptions, defaultCoreOptions } from "../core/options.ts";
import { DEFAULT_CONTROL_PORT, DEFAULT_GOSSIP_PORT } from "./agent_config.ts";
import { CORE_KEYS, envName, flagName, yamlName } from "./_settings.ts";

const WIDTH = 80;
const FLAG_COLUMN = 30;

// One line per option; the ranges repeat those of validate.ts.
const CORE_HELP: Record<keyof CoreOptions, string> = {
  probeIntervalMs: "protocol period: one member is probed per period; " +
    "50..60000",
  probeTimeoutMs: "wait for a direct ack before asking for indirect " +
    "probes; below --probe-interval-ms",
  indirectChecks: "members asked to probe a silent member indirectly; 0..16",
  gossipIntervalMs: "time between gossip rounds; 10..60000",
  gossipFanout: "members that receive each gossip round; 1..16",
  suspicionMult: "suspicion timeout floor in protocol periods, scaled " +
    "by log10 of the cluster size; >= 1",
  suspicionMaxMult: "suspicion timeout ceiling as a multiple of the " +
    "floor; >= 1",
  retransmitMult: "sends of each update, times ceil(log10(N + 1)) for N " +
    "members; 1..20",
  pushPullIntervalMs: "full-state exchange with one random member; " +
    "0 turns it off, else >= 1000",
  reapAfterMs: "how long dead and left members are kept before they are " +
    "forgotten; >= 0",
  maxPacketBytes: "largest datagram sent; 512..8192",
  joinRetryMinMs: "first delay before a join is retried, doubled per " +
    "attempt; >= 10",
  joinRetryMaxMs: "longest delay between join attempts; >= " +
    "--join-retry-min-ms",
  leavePropagateMs: "how long a leaving node gossips its goodbye; 0..60000",
};

/** Help for `rads-node agent --help`. */
export function agentUsage(): string {
  const core = defaultCoreOptions();
  const coreLines = CORE_KEYS.map((key) =>
    flagLine(
      `--${flagName(key)} ${unitOf(key)}`,
      CORE_HELP[key],
      String(core[key]),
    )
  );

  return `Usage: rads-node agent [flags]

Runs one cluster member until it is told to leave (SIGINT, SIGTERM or
rads-node leave).

Flags:
${
    flagLine(
      "--name NAME",
      "node name, unique in the cluster; 1..128 bytes, no spaces",
      "the hostname",
    )
  }
${
    flagLine(
      "--bind HOST:PORT",
      "UDP address to listen on; port 0 lets the system pick",
      `0.0.0.0:${DEFAULT_GOSSIP_PORT}`,
    )
  }
${
    flagLine(
      "--advertise HOST:PORT",
      "address other members reach this node at, when it differs from --bind (NAT, containers); the port defaults to the bind port",
      "the bind address",
    )
  }
${
    flagLine(
      "--join HOST:PORT,...",
      "seeds to join through; repeatable, comma lists allowed; the port defaults to 7946",
      "none",
    )
  }
${
    flagLine(
      "--tag KEY=VALUE",
      "label announced with this node; repeatable; at most 32, keys of A-Z a-z 0-9 _ . -",
      "none",
    )
  }
${
    flagLine(
      "--control HOST:PORT",
      "HTTP control API address; off loopback it needs a control token",
      `127.0.0.1:${DEFAULT_CONTROL_PORT}`,
    )
  }
${
    flagLine(
      "--control-token-file FILE",
      "file holding the token every control request but GET /health must carry (Authorization: Bearer TOKEN)",
      "none",
    )
  }
${
    flagLine(
      "--control-token TOKEN",
      "the token itself; other users can see it in the process list, so prefer the file",
      "none",
    )
  }
${flagLine("--config FILE", "YAML config file", "none")}
${flagLine("--log-level LEVEL", "debug, info, warn or error", "info")}
${flagLine("--log-format FORMAT", "text or json (one object per line)", "text")}
${
    flagLine(
      "--on-event CMD",
      "shell command run on each member state change, with the event in RADS_EVENT, RADS_MEMBER_NAME and other variables; repeatable",
      "none",
    )
  }
${
    flagLine(
      "--on-event-timeout-ms MS",
      "kill an event handler running longer; 100..3600000",
      "10000",
    )
  }
${flagLine("-h, --help", "print this help and exit")}

Protocol tuning (integers):
${
    flagLine(
      "--profile NAME",
      "base set of the timings below: default, or lan (memberlist's LAN values: probe 1000/500 ms, suspicion max mult 6); each timing flag overrides its value",
      "default",
    )
  }
${coreLines.join("\n")}

Environment and config file:
  Every flag has an environment variable, RADS_ and the flag in upper
  snake case, and a config file key in snake case:
    --probe-interval-ms  ${envName("probeIntervalMs")}  ${
    yamlName("probeIntervalMs")
  }
  Exceptions: --tag is RADS_TAGS (a comma list of KEY=VALUE) and the key
  tags (a mapping); RADS_JOIN is a comma list and join a list of strings;
  RADS_ON_EVENT is one command and on_event a list or one string;
  --config is RADS_CONFIG and has no key. Empty variables are ignored.

Precedence, per setting: flags, then environment, then config file, then
defaults. Tags merge; for a tag key set twice, the higher source wins.

Example:
  rads-node agent --name edge-1 --advertise 10.0.0.5:7946 \\
    --join 10.0.0.2:7946,10.0.0.3:7946 --tag zone=eu-west \\
    --config /etc/rads.yaml
`;
}

function unitOf(key: string): string {
  if (key.endsWith("Ms")) return "MS";
  return key.endsWith("Bytes") ? "BYTES" : "N";
}

/** `  --flag VALUE   description (default: d)`, wrapped at 80 columns. */
function flagLine(flag: string, text: string, defaultText?: string): string {
  // The default stays on one line: "(default:" alone would read badly.
  const words = text.split(" ");
  if (defaultText !== undefined) words.push(`(default: ${defaultText})`);

  const lines: string[] = [];
  // The longest flag, --push-pull-interval-ms MS, fits in the column.
  let line = `  ${flag}`.padEnd(FLAG_COLUMN - 1);
  for (const word of words) {
    if (line.length + 1 + word.length > WIDTH && line.trim() !== flag) {
      lines.push(line);
      line = "".padEnd(FLAG_COLUMN - 1);
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}
