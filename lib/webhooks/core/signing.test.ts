// Table tests for Standard Webhooks signing and verification, including the reference vector.
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook } from "./signing";

// The Standard Webhooks reference vector (standard-webhooks spec test suite).
const REF = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestampS: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("signWebhook", () => {
  it("matches the Standard Webhooks reference signature", () => {
    expect(signWebhook(REF)["webhook-signature"]).toBe(REF.signature);
  });
  it("makes whsec_ secrets of 32 bytes", () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), "base64")).toHaveLength(32);
  });
});

describe("verifyWebhook", () => {
  const headers = signWebhook(REF);
  const rows: { name: string; patch: Partial<{ body: string; secret: string; nowS: number; sig: string; ts: string }>; ok: boolean }[] = [
    { name: "valid at the same second", patch: {}, ok: true },
    { name: "valid 5 minutes later", patch: { nowS: REF.timestampS + 300 }, ok: true },
    { name: "too old after 5 minutes and 1 s", patch: { nowS: REF.timestampS + 301 }, ok: false },
    { name: "too far in the future", patch: { nowS: REF.timestampS - 301 }, ok: false },
    { name: "body changed", patch: { body: '{"test": 2432232315}' }, ok: false },
    { name: "other secret", patch: { secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, ok: false },
    { name: "one of several signatures (rotation)", patch: { sig: `v1,bm9wZQ== ${REF.signature}` }, ok: true },
    { name: "v2 scheme is ignored", patch: { sig: REF.signature.replace("v1,", "v2,") }, ok: false },
    { name: "timestamp not a number", patch: { ts: "abc" }, ok: false },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const h = { ...headers, "webhook-signature": row.patch.sig ?? headers["webhook-signature"], "webhook-timestamp": row.patch.ts ?? headers["webhook-timestamp"] };
      const r = verifyWebhook({ headers: h, body: row.patch.body ?? REF.body, secret: row.patch.secret ?? REF.secret, nowS: row.patch.nowS ?? REF.timestampS });
      expect(r.ok).toBe(row.ok);
    });
  }
  it("reads a Fetch Headers object", () => {
    expect(verifyWebhook({ headers: new Headers(headers), body: REF.body, secret: REF.secret, nowS: REF.timestampS })).toEqual({ ok: true });
  });
  it("names a missing header", () => {
    expect(verifyWebhook({ headers: {}, body: "", secret: REF.secret })).toMatchObject({ ok: false, reason: expect.stringContaining("missing") });
  });
});
