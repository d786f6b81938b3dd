// Sends one signed webhook request over node:http(s): checks every address at connect time (so DNS
// rebinding cannot reach a private network), follows no redirects, times out, caps the body read.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { blockedAddressReason } from "../guard/address-ranges";
import type { AttemptOutcome } from "../core/retry-policy";
import { checkAddresses, parseWebhookUrl, urlHost } from "../guard/url-guard";

export type SendRequest = { url: string; headers: Record<string, string>; body: string; timeoutMs: number; maxExcerptBytes: number; allowPrivateNetworks: boolean };
export type SendResult = { outcome: AttemptOutcome; durationMs: number; excerpt: string | null };
export type Sender = (request: SendRequest) => Promise<SendResult>;

const REFUSED = "EWEBHOOKREFUSED";
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

type BaseLookup = (hostname: string, options: LookupOptions & { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** The socket's own lookup: it connects to exactly the addresses checked here (no second resolution to rebind). */
export function guardedLookup(allowPrivateNetworks: boolean, baseLookup: BaseLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    baseLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = checkAddresses(hostname, addresses.map((a) => a.address), allowPrivateNetworks);
      if (refused && !refused.ok) return callback(Object.assign(new Error(refused.reason), { code: REFUSED }), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), []);
    });
  };
}

export const sendWebhookRequest: Sender = (request) => {
  const started = performance.now();
  const done = (outcome: AttemptOutcome, excerpt: string | null = null): SendResult => ({ outcome, durationMs: Math.round(performance.now() - started), excerpt });
  const parsed = parseWebhookUrl(request.url);
  if (!parsed.ok) return Promise.resolve(done({ kind: "refused", message: parsed.reason }));
  const host = urlHost(parsed.url);
  const literal = isIP(host) && !request.allowPrivateNetworks ? blockedAddressReason(host) : null;
  if (literal) return Promise.resolve(done({ kind: "refused", message: `${host} is a ${literal} address; private networks are refused unless TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` }));

  const signal = AbortSignal.timeout(request.timeoutMs);
  const client = parsed.url.protocol === "https:" ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (r: SendResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = client.request(
      parsed.url,
      {
        method: "POST",
        signal,
        agent: false,
        lookup: guardedLookup(request.allowPrivateNetworks) as unknown as typeof dnsLookup,
        headers: { ...request.headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(request.body)), "user-agent": "Tailguard-Webhooks/1" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, request.maxExcerptBytes).toString("utf8");
          settle(done({ kind: "response", statusCode: res.statusCode ?? 0, retryAfter: headerValue(res.headers["retry-after"]) }, excerpt));
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // The excerpt is for people reading the attempt log; never buffer a large or endless body.
          if (size >= request.maxExcerptBytes) res.destroy();
        });
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", finish);
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (signal.aborted) return settle(done({ kind: "timeout" }));
      if (err.code === REFUSED) return settle(done({ kind: "refused", message: err.message }));
      settle(done({ kind: "network", message: err.code ? `${err.code}: ${err.message}` : err.message }));
    });
    req.end(request.body);
  });
};

function headerValue(v: string | string[] | undefined): string | null {
  return (Array.isArray(v) ? v[0] : v) ?? null;
}
