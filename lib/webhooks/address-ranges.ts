// Which IP addresses a webhook may not reach by default: loopback, private, link-local, CGNAT,
// cloud metadata, multicast and reserved ranges, in IPv4 and IPv6 (incl. IPv4 embedded in IPv6).
import { isIPv4, isIPv6 } from "node:net";

type V4Range = [base: number, prefix: number, name: string];

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
  return null;
}

/** The eight 16-bit groups of an IPv6 address (handles `::` and a trailing dotted IPv4). */
export function ipv6Groups(text: string): number[] {
  let s = text.split("%")[0] ?? text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted?.[1]) {
    const n = v4(dotted[1]);
    s = `${s.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = s.includes("::") ? 8 - h.length - t.length : 0;
  return [...h, ...Array<string>(fill).fill("0"), ...t].map((g) => parseInt(g, 16));
}

function v6Blocked(text: string): string | null {
  const g = ipv6Groups(text);
  const embedded = (hi: number, lo: number) => v4Blocked((hi * 65536 + lo) >>> 0);
  if (g.every((x) => x === 0)) return "unspecified";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return embedded(g[1] ?? 0, g[2] ?? 0); // 6to4
  const first = g[0] ?? 0;
  if ((first & 0xfe00) === 0xfc00) return "unique local (private)";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xffc0) === 0xfec0) return "site-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  return null;
}

/** Why the address is refused by default, or null for a public address. */
export function blockedAddressReason(address: string): string | null {
  if (isIPv4(address)) return v4Blocked(v4(address));
  if (isIPv6(address)) return v6Blocked(address);
  return "not an IP address";
}
