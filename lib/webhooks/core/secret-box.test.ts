// Tests for the at-rest encryption of webhook signing secrets.
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secret-box";

const KEY = "server-key-0123456789abcdef0123456789";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("secret box", () => {
  it("round-trips", () => expect(decryptSecret(encryptSecret(SECRET, KEY), KEY)).toBe(SECRET));
  it("never stores the plaintext and uses a fresh IV", () => {
    const a = encryptSecret(SECRET, KEY);
    expect(a).not.toContain("MfKQ9r8G");
    expect(a).not.toBe(encryptSecret(SECRET, KEY));
  });
  it("refuses another server key", () => expect(() => decryptSecret(encryptSecret(SECRET, KEY), `${KEY}x`)).toThrow());
  it("refuses a tampered ciphertext", () => {
    const [v, iv, tag, ct] = encryptSecret(SECRET, KEY).split(".");
    const flipped = Buffer.from(ct!, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString("base64url")].join("."), KEY)).toThrow();
  });
  it("refuses an unknown format", () => expect(() => decryptSecret("plain", KEY)).toThrow(/format/));
});
