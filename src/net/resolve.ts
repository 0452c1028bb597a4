/**
 * Turns seed addresses (`host:port`, `[v6]:port`, DNS names) into IP
 * addresses the transport can send to.
 *
 * @module
 */

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { formatHostPort, parseHostPort } from "../config/addr.ts";

/**
 * Resolves each address; throws one TypeError naming every address that
 * does not parse or does not resolve.
 */
export async function resolveAddrs(addrs: string[]): Promise<string[]> {
  const problems: string[] = [];
  const out: string[] = [];
  for (const addr of addrs) {
    try {
      out.push(await resolveOne(addr));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) throw new TypeError(problems.join("; "));
  return out;
}

async function resolveOne(addr: string): Promise<string> {
  const { host, port } = parseHostPort(addr);
  if (isIP(host)) return formatHostPort(host, port);

  try {
    const found = await lookup(host);
    return formatHostPort(found.address, port);
  } catch {
    throw new TypeError(`cannot resolve seed "${addr}": unknown host ${host}`);
  }
}
