// Table tests for the address ranges and URL checks that keep webhooks off private networks.
import { describe, expect, it } from "vitest";
import { blockedAddressReason } from "./address-ranges";
import { checkWebhookUrl } from "./url-guard";

describe("blockedAddressReason", () => {
  const rows: [string, string | null][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", null],
    ["192.168.1.10", "private"],
    ["169.254.169.254", "link-local / cloud metadata"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.100.100.200", "carrier-grade NAT"], // Alibaba metadata
    ["0.0.0.0", "this network"],
    ["224.0.0.1", "multicast"],
    ["8.8.8.8", null],
    ["93.184.216.34", null],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd00:ec2::254", "unique local (private)"], // AWS metadata over IPv6
    ["fc00::5", "unique local (private)"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local / cloud metadata"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:0a00:0001::", "private"],
    ["2606:4700::1111", null],
    ["::ffff:8.8.8.8", null],
    ["example.com", "not an IP address"],
  ];
  for (const [address, reason] of rows) it(`${address} → ${reason ?? "public"}`, () => expect(blockedAddressReason(address)).toBe(reason));
});

describe("checkWebhookUrl", () => {
  const dns: Record<string, string[]> = { "hooks.example.com": ["93.184.216.34"], "sneaky.example.com": ["93.184.216.34", "10.0.0.7"], "localhost": ["127.0.0.1", "::1"] };
  const resolve = async (h: string) => {
    const found = dns[h];
    if (!found) throw new Error("ENOTFOUND");
    return found;
  };
  const rows: [string, boolean, boolean | RegExp][] = [
    ["https://hooks.example.com/alerts", false, true],
    ["http://hooks.example.com:8080/x", false, true],
    ["ftp://hooks.example.com/x", false, /only http and https/],
    ["not a url", false, /not a valid URL/],
    ["https://user:pw@hooks.example.com/", false, /credentials/],
    ["http://127.0.0.1:9000/hook", false, /loopback/],
    ["http://10.0.0.5/hook", false, /private/],
    ["http://169.254.169.254/latest/meta-data", false, /metadata/],
    ["http://[::1]:8080/", false, /loopback/],
    ["http://[::ffff:127.0.0.1]/", false, /loopback/],
    ["http://localhost:3000/", false, /loopback/],
    ["https://sneaky.example.com/", false, /10\.0\.0\.7/],
    ["https://nowhere.example.com/", false, /cannot resolve/],
    ["http://127.0.0.1:9000/hook", true, true],
    ["http://localhost:3000/", true, true],
  ];
  for (const [url, allow, expected] of rows) {
    it(`${url}${allow ? " (private allowed)" : ""}`, async () => {
      const r = await checkWebhookUrl(url, { allowPrivateNetworks: allow, resolve });
      if (expected === true) expect(r.ok).toBe(true);
      else expect(r.ok ? "ok" : r.reason).toMatch(expected as RegExp);
    });
  }
});

// Issue #13 defect 9: every IPv6 form that reaches an IPv4 host, and the IPv6 special ranges.
// Each row: address as the resolver or URL parser hands it over → the reason it is refused (null: public).
describe("blockedAddressReason: IPv4 inside IPv6, tunnels and special ranges", () => {
  const rows: [address: string, reason: string | null, why: string][] = [
    ["::ffff:0:7f00:1", "loopback", "SIIT ::ffff:0:0:0/96 (RFC 6145): 7f00:0001 = 127.0.0.1"],
    ["::ffff:0:127.0.0.1", "loopback", "the same SIIT address written with a dotted tail"],
    ["::ffff:0:a9fe:a9fe", "link-local / cloud metadata", "SIIT of 169.254.169.254"],
    ["::ffff:0:a00:1", "private", "SIIT of 10.0.0.1"],
    ["::ffff:0:808:808", null, "SIIT of 8.8.8.8 is public"],
    ["::ffff:a00:1", "private", "IPv4-mapped ::ffff:0:0/96 of 10.0.0.1"],
    ["::7f00:1", "loopback", "IPv4-compatible ::127.0.0.1"],
    ["64:ff9b::7f00:1", "loopback", "NAT64 well-known prefix 64:ff9b::/96 of 127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "link-local / cloud metadata", "NAT64 of 169.254.169.254"],
    ["64:ff9b::808:808", null, "NAT64 of 8.8.8.8 is public"],
    ["64:ff9b:1::a00:1", "local-use NAT64 (RFC 8215)", "64:ff9b:1::/48: the IPv4 offset depends on the operator, refused whole"],
    ["64:ff9b:1:7f00:1::", "local-use NAT64 (RFC 8215)", "127.0.0.1 at the /64 offset of the same prefix"],
    ["2002:7f00:1::", "loopback", "6to4 2002::/16: groups 2-3 = 7f00:0001 = 127.0.0.1"],
    ["2002:a9fe:a9fe::1", "link-local / cloud metadata", "6to4 of 169.254.169.254"],
    ["2002:808:808::1", null, "6to4 of 8.8.8.8 is public"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo tunnel", "Teredo 2001::/32; client 80ff:fffe = ~127.0.0.1"],
    ["2001::1", "Teredo tunnel", "any Teredo address"],
    ["fc00::1", "unique local (private)", "fc00::/7"],
    ["fdff:ffff::1", "unique local (private)", "top of fc00::/7"],
    ["fe80::1", "link-local", "fe80::/10"],
    ["febf::1", "link-local", "top of fe80::/10"],
    ["fe80::1%eth0", "link-local", "with a zone index"],
    ["fec0::1", "site-local", "deprecated fec0::/10"],
    ["ff02::1", "multicast", "ff00::/8"],
    ["ff0e::1", "multicast", "global-scope multicast"],
    ["::1", "loopback", "::1"],
    ["0:0:0:0:0:0:0:1", "loopback", "::1 written in full"],
    ["::", "unspecified", "::"],
    ["100::1", "discard", "discard-only 100::/64 (RFC 6666)"],
    ["2001:db8::1", "reserved", "documentation 2001:db8::/32"],
    ["2001:2::1", "benchmarking", "2001:2::/48 (RFC 5180)"],
    ["5f00::1", "segmentRouting", "SRv6 SIDs 5f00::/16 (RFC 9602)"],
    ["2606:4700::1111", null, "a public IPv6 address"],
    ["2a00:1450:4001:80b::200e", null, "another public IPv6 address"],
    ["192.0.2.10", "reserved", "TEST-NET-1"],
    ["198.51.100.7", "reserved", "TEST-NET-2"],
    ["203.0.113.9", "reserved", "TEST-NET-3"],
    ["255.255.255.255", "reserved", "limited broadcast (inside 240.0.0.0/4)"],
    ["0177.0.0.1", "not an IP address", "octal: only the URL parser may turn it into 127.0.0.1"],
    ["2130706433", "not an IP address", "decimal 127.0.0.1"],
    ["0x7f000001", "not an IP address", "hex 127.0.0.1"],
    ["127.1", "not an IP address", "short form of 127.0.0.1"],
  ];
  for (const [address, reason, why] of rows) it(`${address} → ${reason ?? "public"} (${why})`, () => expect(blockedAddressReason(address)).toBe(reason));
});

// WHATWG URL parsing normalises IPv4 notations and IPv6 text before the guard sees the host; the
// guard must refuse what the normalised host reaches. Names resolve through the fake resolver.
describe("checkWebhookUrl: odd notations and names that resolve to embedded IPv4", () => {
  const dns: Record<string, string[]> = {
    "siit.example.com": ["::ffff:0:7f00:1"],
    "nat64.example.com": ["2606:4700::1111", "64:ff9b::a9fe:a9fe"],
    "teredo.example.com": ["2001:0:4136:e378:8000:63bf:80ff:fffe"],
    "ula.example.com": ["fd12:3456::1"],
    "v6.example.com": ["2606:4700::1111"],
  };
  const resolve = async (h: string) => dns[h] ?? Promise.reject(new Error("ENOTFOUND"));
  const rows: [url: string, expected: true | RegExp][] = [
    ["http://[::ffff:0:7f00:1]/", /loopback/],
    ["http://[::ffff:0:127.0.0.1]:8080/", /loopback/],
    ["http://[64:ff9b::127.0.0.1]/", /loopback/],
    ["http://[64:ff9b:1::a00:1]/", /local-use NAT64/],
    ["http://[2002:7f00:1::]/", /loopback/],
    ["http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", /Teredo/],
    ["http://[fd00::1]/", /unique local/],
    ["http://[fe80::1]/", /link-local/],
    ["http://[ff02::1]/", /multicast/],
    ["http://[::]/", /unspecified/],
    ["http://[0:0:0:0:0:0:0:1]/", /loopback/],
    ["http://2130706433/", /127\.0\.0\.1.*loopback/],
    ["http://0177.0.0.1/", /127\.0\.0\.1.*loopback/],
    ["http://0x7f.0.0.1/", /127\.0\.0\.1.*loopback/],
    ["http://0x7f000001/", /127\.0\.0\.1.*loopback/],
    ["http://127.1/", /127\.0\.0\.1.*loopback/],
    ["http://0251.0376.0251.0376/", /169\.254\.169\.254.*metadata/],
    ["https://siit.example.com/", /::ffff:0:7f00:1 \(loopback\)/],
    ["https://nat64.example.com/", /64:ff9b::a9fe:a9fe/],
    ["https://teredo.example.com/", /Teredo/],
    ["https://ula.example.com/", /unique local/],
    ["https://v6.example.com/hook", true],
    ["http://[2606:4700::1111]/", true],
  ];
  for (const [url, expected] of rows) {
    it(url, async () => {
      const r = await checkWebhookUrl(url, { allowPrivateNetworks: false, resolve });
      if (expected === true) expect(r.ok).toBe(true);
      else expect(r.ok ? "ok" : r.reason).toMatch(expected);
    });
  }
});
