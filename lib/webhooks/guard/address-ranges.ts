// Which IP addresses a webhook may not reach by default: loopback, private, link-local, CGNAT,
// cloud metadata, multicast and reserved ranges, in IPv4 and IPv6 (incl. IPv4 embedded in IPv6).
// ipaddr.js classifies the special-purpose ranges (IANA registries); this module decides which
// embedded IPv4 address an IPv6 form reaches, and refuses every range that is not plain unicast.
import { isIPv4, isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

type V4Range = [base: number, prefix: number, name: string];

// Named first so refusals say what the address is; anything else ipaddr.js does not call
// "unicast" (TEST-NETs, broadcast, AS112, …) is refused under its ipaddr.js range name.
const V4_RANGES: V4Range[] = [
  [v4("0.0.0.0"), 8, "this network"],
  [v4("10.0.0.0"), 8, "private"],
  [v4("100.64.0.0"), 10, "carrier-grade NAT"],
  [v4("127.0.0.0"), 8, "loopback"],
  [v4("169.254.0.0"), 16, "link-local / cloud metadata"],
  [v4("172.16.0.0"), 12, "private"],
  [v4("192.0.0.0"), 24, "IETF protocol assignments"],
  [v4("192.168.0.0"), 16, "private"],
  [v4("198.18.0.0"), 15, "benchmarking"],
  [v4("224.0.0.0"), 4, "multicast"],
  [v4("240.0.0.0"), 4, "reserved"],
];

function v4(text: string): number {
  return text.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function v4Blocked(n: number): string | null {
  for (const [base, prefix, name] of V4_RANGES) {
    const size = 2 ** (32 - prefix);
    if (n >= base && n < base + size) return name;
  }
  const range = ipaddr.IPv4.parse([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")).range();
  return range === "unicast" ? null : range;
}

function v6Blocked(address: ipaddr.IPv6): string | null {
  const g = address.parts;
  const embedded = (hi: number, lo: number) => v4Blocked(((hi << 16) | lo) >>> 0);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return "unspecified";
  if (zeros(0, 7) && g[7] === 1) return "loopback";
  // These forms deliver to the IPv4 address in their last 32 bits: ::ffff:a.b.c.d (mapped),
  // ::ffff:0:a.b.c.d (SIIT, RFC 6145), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64, RFC 6052).
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6]!, g[7]!);
  // A local-use NAT64 prefix (RFC 8215) may embed the IPv4 address at any of six offsets.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "local-use NAT64 (RFC 8215)";
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4: the relay is the embedded IPv4 host
  // Teredo reaches an obfuscated client IPv4 through a relay of the operator's choosing: refused whole.
  if (g[0] === 0x2001 && g[1] === 0) return "Teredo tunnel";
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "unique local (private)";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xffc0) === 0xfec0) return "site-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  const range = address.range();
  return range === "unicast" ? null : range;
}

/**
 * Why the address is refused by default, or null for a public address. Takes the canonical
 * forms URL parsing and the resolver produce; anything else (`0177.0.0.1`, `2130706433`, `127.1`,
 * which WHATWG URL parsing turns into `127.0.0.1` before it gets here) is not an IP address.
 */
export function blockedAddressReason(address: string): string | null {
  if (isIPv4(address)) return v4Blocked(v4(address));
  if (isIPv6(address)) return v6Blocked(ipaddr.IPv6.parse(address.split("%")[0]!));
  return "not an IP address";
}
