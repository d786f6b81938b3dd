// Standard Webhooks signing and verification (webhook-id, webhook-timestamp, webhook-signature).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SECRET_PREFIX = "whsec_";
/** Receivers reject messages whose timestamp is further than this from their clock (replay protection). */
export const DEFAULT_TOLERANCE_S = 5 * 60;

export type WebhookHeaders = { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };

/** A new signing secret: `whsec_` + 32 random bytes in base64, as Standard Webhooks libraries expect. */
export function newWebhookSecret(random: (n: number) => Buffer = randomBytes): string {
  return `${SECRET_PREFIX}${random(32).toString("base64")}`;
}

function secretKey(secret: string): Buffer {
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(raw, "base64");
}

/** base64 HMAC-SHA256 of `id.timestamp.body` under the decoded secret. */
export function signatureOf(options: { id: string; timestampS: number; body: string; secret: string }): string {
  return createHmac("sha256", secretKey(options.secret)).update(`${options.id}.${options.timestampS}.${options.body}`).digest("base64");
}

export function signWebhook(options: { id: string; timestampS: number; body: string; secret: string }): WebhookHeaders {
  return {
    "webhook-id": options.id,
    "webhook-timestamp": String(options.timestampS),
    "webhook-signature": `v1,${signatureOf(options)}`,
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Checks a received webhook: the timestamp is within `toleranceS` of `nowS` and one of the
 * space-separated `v1,` signatures matches (several appear while a secret is being rotated).
 */
export function verifyWebhook(options: { headers: HeaderSource; body: string; secret: string; nowS?: number; toleranceS?: number }): VerifyResult {
  const id = header(options.headers, "webhook-id");
  const ts = header(options.headers, "webhook-timestamp");
  const sigs = header(options.headers, "webhook-signature");
  if (!id || !ts || !sigs) return { ok: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature" };
  const timestampS = Number(ts);
  if (!/^\d+$/.test(ts) || !Number.isSafeInteger(timestampS)) return { ok: false, reason: "webhook-timestamp is not a number of seconds" };
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowS - timestampS) > (options.toleranceS ?? DEFAULT_TOLERANCE_S)) return { ok: false, reason: "timestamp outside the tolerance" };
  const expected = Buffer.from(signatureOf({ id, timestampS, body: options.body, secret: options.secret }));
  for (const part of sigs.split(" ")) {
    const [version, sig] = part.split(",", 2);
    if (version !== "v1" || !sig) continue;
    const actual = Buffer.from(sig);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return { ok: true };
  }
  return { ok: false, reason: "no matching signature" };
}
