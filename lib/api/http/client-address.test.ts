import { describe, expect, it } from "vitest";
import { addressLimitKey, clientAddress, normaliseAddress, PEER_ADDRESS_HEADER } from "./client-address";

const headers = (peer: string | null, xff?: string) => new Headers({ ...(peer === null ? {} : { [PEER_ADDRESS_HEADER]: peer }), ...(xff === undefined ? {} : { "x-forwarded-for": xff }) });

describe("clientAddress", () => {
  it.each([
    { note: "no proxies trusted: the socket, whatever X-Forwarded-For says", peer: "203.0.113.7", xff: "1.1.1.1", hops: 0, want: "203.0.113.7" },
    { note: "one proxy: the entry it appended (rightmost)", peer: "10.0.0.2", xff: "198.51.100.9", hops: 1, want: "198.51.100.9" },
    { note: "one proxy: a client-forged entry left of it is ignored", peer: "10.0.0.2", xff: "1.1.1.1, 198.51.100.9", hops: 1, want: "198.51.100.9" },
    { note: "two proxies: two hops in from the right", peer: "10.0.0.2", xff: "1.1.1.1, 198.51.100.9, 10.0.0.1", hops: 2, want: "198.51.100.9" },
    { note: "more hops than entries: the leftmost entry", peer: "10.0.0.2", xff: "198.51.100.9", hops: 3, want: "198.51.100.9" },
    { note: "proxy trusted but no header: the socket", peer: "10.0.0.2", xff: undefined, hops: 1, want: "10.0.0.2" },
    { note: "garbage in the trusted entry: the socket", peer: "10.0.0.2", xff: "not-an-ip", hops: 1, want: "10.0.0.2" },
    { note: "IPv4-mapped IPv6 socket address", peer: "::ffff:127.0.0.1", xff: undefined, hops: 0, want: "127.0.0.1" },
    { note: "no socket address known", peer: null, xff: "1.1.1.1", hops: 0, want: "unknown" },
  ])("$note", ({ peer, xff, hops, want }) => {
    expect(clientAddress(headers(peer, xff), hops)).toBe(want);
  });
});

describe("normaliseAddress", () => {
  it.each([
    ["198.51.100.9", "198.51.100.9"],
    ["198.51.100.9:5555", "198.51.100.9"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["::FFFF:10.1.2.3", "10.1.2.3"],
    ["example.com", null],
    ["", null],
  ])("%s → %s", (raw, want) => {
    expect(normaliseAddress(raw)).toBe(want);
  });
});

describe("addressLimitKey", () => {
  it.each([
    ["198.51.100.9", "198.51.100.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:0db8:0001:0002::1", "2001:db8:1:2::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s → %s", (address, want) => {
    expect(addressLimitKey(address)).toBe(want);
  });
});
