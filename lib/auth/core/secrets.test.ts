import { describe, expect, it } from "vitest";
import { hashPassword, hashTokenSecret, newTokenSecret, signValue, tokenDisplayPrefix, unsignValue, verifyPassword } from "./secrets";
import { hasScope, scopesForRole } from "./scopes";

describe("passwords", () => {
  it("verifies the right password and rejects others", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });

  it("salts each hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });
});

describe("token secrets", () => {
  it("are unique, prefixed and stored only as a SHA-256 hash", () => {
    const a = newTokenSecret();
    expect(a).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
    expect(newTokenSecret()).not.toBe(a);
    expect(hashTokenSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDisplayPrefix(a)).toBe(a.slice(0, 10));
  });
});

describe("signed values", () => {
  const key = "k".repeat(32);
  it("round-trips and rejects tampering or another key", () => {
    const signed = signValue("session-1", key);
    expect(unsignValue(signed, key)).toBe("session-1");
    expect(unsignValue(signed.replace("session-1", "session-2"), key)).toBeNull();
    expect(unsignValue(signed, "z".repeat(32))).toBeNull();
    expect(unsignValue("nodot", key)).toBeNull();
  });
});

describe("scopes", () => {
  it.each([
    ["viewer", "read", true],
    ["viewer", "write", false],
    ["editor", "write", true],
    ["editor", "admin", false],
    ["admin", "ingest", true],
  ] as const)("%s has %s: %s", (role, scope, expected) => {
    expect(hasScope({ scopes: scopesForRole(role) }, scope)).toBe(expected);
  });

  it("an admin token may do everything, an ingest token only ingest", () => {
    expect(hasScope({ scopes: ["admin"] }, "gate")).toBe(true);
    expect(hasScope({ scopes: ["ingest"] }, "read")).toBe(false);
  });
});
