// The client's address for rate limits: the socket's peer, or — behind a configured number of trusted
// proxies — the X-Forwarded-For entry that many hops in from the right. A client can prepend anything
// to X-Forwarded-For, so entries left of the trusted hops are never believed.
import { isIP } from "node:net";

/** Set by our web server from the socket on every request, replacing any value a client sent. */
export const PEER_ADDRESS_HEADER = "x-tailguard-peer-address";

export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const peer = normaliseAddress(headers.get(PEER_ADDRESS_HEADER) ?? "") ?? "unknown";
  if (trustedProxyHops <= 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((a) => a.trim()).filter((a) => a !== "");
  // The chain as seen from here: …, what the first trusted proxy saw, …, the peer (the last proxy).
  const chain = [...forwarded, peer];
  const picked = chain[Math.max(0, chain.length - 1 - trustedProxyHops)] ?? peer;
  return normaliseAddress(picked) ?? peer;
}

/** An IP address in one spelling per host, or null: IPv4-mapped IPv6 becomes IPv4, IPv6 lower-case and unbracketed. */
export function normaliseAddress(raw: string): string | null {
  let a = raw.trim().toLowerCase();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]"));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (a.startsWith("::ffff:") && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a : null;
}

/** The key an address is limited under: IPv4 as is, IPv6 by its /64 (one host usually holds a whole /64). */
export function addressLimitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
