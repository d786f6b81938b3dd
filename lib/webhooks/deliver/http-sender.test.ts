// The sender's socket resolves through the guard: the addresses checked at send time are the ones it
// connects to, so a name that rebinds to a private address after the endpoint was saved is refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedLookup, sendWebhookRequest } from "./http-sender";

type Answer = { address: string; family: 4 | 6 };
const fakeDns = (answers: Record<string, Answer[]>) => (host: string, _o: unknown, cb: (err: NodeJS.ErrnoException | null, a: Answer[]) => void) =>
  answers[host] ? cb(null, answers[host]) : cb(Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" }), []);
const lookupOnce = (lookup: ReturnType<typeof guardedLookup>, host: string) =>
  new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => lookup(host, { all: true }, (err, address) => resolve({ err, address })));

describe("guardedLookup", () => {
  const dns = fakeDns({
    "siit.example.com": [{ address: "::ffff:0:7f00:1", family: 6 }],
    "mixed.example.com": [{ address: "8.8.8.8", family: 4 }, { address: "64:ff9b::a00:1", family: 6 }],
    "teredo.example.com": [{ address: "2001:0:4136:e378:8000:63bf:80ff:fffe", family: 6 }],
    "public.example.com": [{ address: "8.8.8.8", family: 4 }, { address: "2606:4700::1111", family: 6 }],
  });
  const rows: [host: string, refused: RegExp | null][] = [
    ["siit.example.com", /::ffff:0:7f00:1 \(loopback\)/],
    ["mixed.example.com", /64:ff9b::a00:1 \(private\)/],
    ["teredo.example.com", /Teredo/],
    ["public.example.com", null],
  ];
  for (const [host, refused] of rows) {
    it(`${host} → ${refused ? "refused" : "answered"}`, async () => {
      const { err, address } = await lookupOnce(guardedLookup(false, dns), host);
      if (refused) expect(err?.message).toMatch(refused);
      else expect(err === null && Array.isArray(address) && address.length === 2).toBe(true);
    });
  }
});

describe("sendWebhookRequest at send time", () => {
  let server: http.Server;
  let port = 0;
  let received = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received += 1;
      req.resume();
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const send = (url: string, allowPrivateNetworks: boolean) => sendWebhookRequest({ url, headers: {}, body: "{}", timeoutMs: 2_000, maxExcerptBytes: 100, allowPrivateNetworks });
  // PORT is the local receiver's port, filled in when the test runs.
  const rows: [url: string, message: RegExp][] = [
    ["http://localhost:PORT/", /localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/],
    ["http://[::ffff:0:7f00:1]:PORT/", /::ffff:0:7f00:1 is a loopback address/],
    ["http://[::ffff:7f00:1]:PORT/", /::ffff:7f00:1 is a loopback address/],
    ["http://2130706433:PORT/", /127\.0\.0\.1 is a loopback address/],
    ["http://0x7f.1:PORT/", /127\.0\.0\.1 is a loopback address/],
  ];
  for (const [url, message] of rows) {
    it(`refuses ${url} before connecting`, async () => {
      const before = received;
      const r = await send(url.replace("PORT", String(port)), false);
      expect(r.outcome).toMatchObject({ kind: "refused", message: expect.stringMatching(message) });
      expect(received).toBe(before);
    });
  }
  it("reaches the local receiver when private networks are allowed (the rows above are refused by the guard, not the network)", async () => {
    const r = await send(`http://localhost:${port}/`, true);
    expect(r.outcome).toMatchObject({ kind: "response", statusCode: 200 });
  });
});
