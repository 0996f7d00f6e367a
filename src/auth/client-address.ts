import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

export interface ClientAddressOptions {
  /**
   * Peers whose forwarding header is believed: IPs and CIDRs (`10.0.0.0/8`, `::1`), or
   * `loopback` / `private` for those ranges. Empty: the socket address is the client.
   */
  trustedProxies: readonly string[];
  /** The header a trusted peer names the client in (`x-forwarded-for`, `forwarded`, `x-real-ip`, …). */
  header: string;
}

export const DEFAULT_CLIENT_ADDRESS_HEADER = "x-forwarded-for";

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/** Why a trusted-proxy entry is not usable, or undefined when it is. */
export function invalidTrustedProxy(entry: string): string | undefined {
  if (NAMED_RANGES[entry]) return undefined;
  const [ip, prefix, extra] = entry.split("/");
  const family = isIP(ip);
  if (!family || extra !== undefined) return "expected an IP address, a CIDR range, 'loopback' or 'private'";
  if (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))) return "invalid prefix length";
  return undefined;
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) -> `1.2.3.4`. */
function normalize(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Resolves the client's address: the socket peer, unless the peer is a trusted proxy; then the
 * forwarding header is walked from the nearest hop back, skipping trusted proxies, and the first
 * untrusted hop is the client (hops further left are whatever the client chose to send).
 */
export function clientAddressResolver(options: ClientAddressOptions): (peer: string | undefined, headers: IncomingHttpHeaders) => string {
  const trusted = new BlockList();
  for (const entry of options.trustedProxies) {
    for (const range of NAMED_RANGES[entry] ?? [entry]) {
      const [ip, prefix] = range.split("/");
      const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) trusted.addAddress(ip, family);
      else trusted.addSubnet(ip, Number(prefix), family);
    }
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? "ipv6" : "ipv4");
  };
  const header = options.header.toLowerCase();
  const none = options.trustedProxies.length === 0;
  return (peer, headers) => {
    const socket = normalize(peer ?? "unknown");
    if (none || !isTrusted(socket)) return socket;
    const hops = forwardedHops(header, headers[header]);
    let client = socket;
    for (let i = hops.length - 1; i >= 0; i--) {
      client = hops[i];
      if (!isTrusted(client)) break;
    }
    return client;
  };
}

/** The hops a forwarding header lists, nearest last, as bare addresses. */
function forwardedHops(header: string, value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(",") : value;
  const parts = text.split(",");
  const out: string[] = [];
  for (const part of parts) {
    let hop = part.trim();
    if (header === "forwarded") {
      // RFC 7239: `for=192.0.2.60;proto=http`, `for="[2001:db8::1]:4711"`.
      const match = /(?:^|;)\s*for=("?)([^;,"]*)\1/i.exec(hop);
      if (!match) continue;
      hop = match[2];
    }
    out.push(normalize(stripPort(hop)));
  }
  return out.filter((h) => h.length > 0);
}

function stripPort(hop: string): string {
  if (hop.startsWith("[")) return hop.slice(1, hop.indexOf("]") > 0 ? hop.indexOf("]") : undefined);
  const colon = hop.indexOf(":");
  // One colon: IPv4 with a port. More: a bare IPv6 address.
  return colon > 0 && hop.indexOf(":", colon + 1) < 0 ? hop.slice(0, colon) : hop;
}
