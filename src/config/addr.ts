/**
 * `host:port` addresses: parsing with one-line errors, and formatting.
 * Web-standard code only, so it runs under Deno, Bun and Node.
 *
 * @module
 */

/** Options for {@linkcode parseHostPort}. */
export interface HostPortOptions {
  /**
   * Accept port 0 (the system picks a free port); only for addresses the
   * node binds to.
   * @default {false}
   */
  allowZero?: boolean;
}

/** A parsed address; an IPv6 host comes without its brackets. */
export interface HostPort {
  /** IPv4 address, IPv6 address (no brackets) or DNS name. */
  host: string;
  /** Port, 1..65535 (0 only with `allowZero`). */
  port: number;
}

/**
 * Parses `host:port`, `1.2.3.4:port`, `[::1]:port` or a DNS name with a
 * port; a bare host takes `defaultPort` when given. Throws a TypeError whose
 * one-line message starts with the quoted input, e.g.
 * `"a:99999" is not a valid address: port must be an integer from 1 to 65535`.
 */
export function parseHostPort(
  s: string,
  defaultPort?: number,
  options: HostPortOptions = {},
): HostPort {
  const result = splitHostPort(s, defaultPort, options.allowZero ?? false);
  if (typeof result === "string") {
    throw new TypeError(
      `${JSON.stringify(s)} is not a valid address: ${result}`,
    );
  }
  return result;
}

/** Joins a host and a port, bracketing IPv6 hosts: `[::1]:7946`. */
export function formatHostPort(host: string, port: number): string {
  const bare = host.startsWith("[") && host.endsWith("]");
  return host.includes(":") && !bare ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True for 0.0.0.0 and ::, the "every interface" addresses. */
export function isUnspecifiedHost(host: string): boolean {
  if (host === "0.0.0.0") return true;
  return isIPv6(host) && /^[0:]+$/.test(host);
}

/**
 * True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also
 * as ::ffff:127.x.y.z) and `localhost`. Any other name counts as reachable
 * from outside, as it may resolve to anything.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (h === "localhost") return true;
  if (isIPv4(h)) return h.startsWith("127.");
  if (!isIPv6(h) || h.includes("%")) return false;

  const g = ipv6Groups(h);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(7) && g[7] === 1) return true;
  // ::ffff:127.0.0.1, an IPv4 loopback address mapped into IPv6.
  return zeros(5) && g[5] === 0xffff && g[6] >> 8 === 127;
}

/** The eight 16-bit groups of a valid IPv6 address without a zone. */
function ipv6Groups(addr: string): number[] {
  const parse = (part: string) =>
    part === "" ? [] : part.split(":").flatMap((x) => {
      if (!x.includes(".")) return [parseInt(x, 16)];
      const [a, b, c, d] = x.split(".").map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const [head, tail] = addr.split("::");
  if (tail === undefined) return parse(head);

  const front = parse(head);
  const back = parse(tail);
  const fill = new Array(8 - front.length - back.length).fill(0);
  return [...front, ...fill, ...back];
}

/** The address, or the reason it is not one. */
function splitHostPort(
  s: string,
  defaultPort: number | undefined,
  allowZero: boolean,
): HostPort | string {
  if (s === "") return "it is empty";
  if (s.startsWith("[")) return splitBracketed(s, defaultPort, allowZero);

  // More than one colon can only be an IPv6 address, whose port would be
  // ambiguous without brackets.
  const colons = s.split(":").length - 1;
  if (colons > 1) return "put an IPv6 address in brackets, as in [::1]:7946";

  const [host, portText] = colons === 1 ? s.split(":") : [s, undefined];
  const hostProblem = checkHost(host);
  if (hostProblem) return hostProblem;

  const port = parsePort(portText, defaultPort, allowZero);
  return typeof port === "string" ? port : { host, port };
}

function splitBracketed(
  s: string,
  defaultPort: number | undefined,
  allowZero: boolean,
): HostPort | string {
  const close = s.indexOf("]");
  if (close < 0) return `missing "]" after the IPv6 address`;

  const host = s.slice(1, close);
  if (!isIPv6(host)) return `${JSON.stringify(host)} is not an IPv6 address`;

  const rest = s.slice(close + 1);
  if (rest !== "" && !rest.startsWith(":")) {
    return `unexpected ${JSON.stringify(rest)} after "]"`;
  }
  const port = parsePort(
    rest === "" ? undefined : rest.slice(1),
    defaultPort,
    allowZero,
  );
  return typeof port === "string" ? port : { host, port };
}

/** `text` undefined means no port was written. */
function parsePort(
  text: string | undefined,
  defaultPort: number | undefined,
  allowZero: boolean,
): number | string {
  if (text === undefined) {
    return defaultPort ?? "missing port (write HOST:PORT)";
  }

  const min = allowZero ? 0 : 1;
  const rule = `port must be an integer from ${min} to 65535`;
  if (text === "") return `missing port after ":" (${rule})`;
  if (!/^\d{1,5}$/.test(text)) return rule;

  const port = Number(text);
  return port < min || port > 65535 ? rule : port;
}

/** Undefined when `host` is an IPv4 address or a DNS name. */
function checkHost(host: string): string | undefined {
  if (host === "") return "missing host (0.0.0.0 means every interface)";

  // RFC 1123: a top-level label is never all digits, so this is meant as an
  // IPv4 address.
  const labels = host.replace(/\.$/, "").split(".");
  if (/^\d+$/.test(labels[labels.length - 1])) {
    if (isIPv4(host)) return undefined;
    return `${JSON.stringify(host)} is not a valid IPv4 address`;
  }

  if (isDnsName(host)) return undefined;
  return `${JSON.stringify(host)} is not an IP address or DNS name`;
}

function isIPv4(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** Letters, digits, `-` and `_` (container names use it) in each label. */
function isDnsName(s: string): boolean {
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return false;

  const label = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
  return name.split(".").every((l) => label.test(l));
}

/** RFC 4291 text forms, with an optional zone (`fe80::1%eth0`). */
function isIPv6(s: string): boolean {
  const [addr, zone, ...extra] = s.split("%");
  if (extra.length > 0) return false;
  if (zone !== undefined && !/^[A-Za-z0-9_.-]+$/.test(zone)) return false;

  const halves = addr.split("::");
  if (halves.length > 2) return false;

  const groups = halves.map((h) => (h === "" ? [] : h.split(":")));
  const all = groups.flat();
  let count = all.length;
  // A trailing dotted quad stands for the last two groups.
  const last = all[all.length - 1];
  if (last !== undefined && last.includes(".") && !addr.endsWith(":")) {
    if (!isIPv4(last)) return false;
    all.pop();
    count += 1;
  }

  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}
