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
