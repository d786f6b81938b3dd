import { describe, expect, it } from "vitest";
import { bodyFingerprint, callerNamespace, canonicalJson, IDEMPOTENCY_STALE_CLAIM_MS, judgeStoredKey, parseIdempotencyKey, type StoredKey } from "./idempotency";

describe("canonicalJson", () => {
  it.each([
    { note: "keys sorted", value: { b: 1, a: 2 }, want: '{"a":2,"b":1}' },
    { note: "sorted at every depth", value: { z: { y: 1, x: [{ d: 1, c: 2 }] } }, want: '{"z":{"x":[{"c":2,"d":1}],"y":1}}' },
    { note: "array order kept (it means something)", value: ["b", "a"], want: '["b","a"]' },
    { note: "undefined members dropped, as JSON.stringify does", value: { a: undefined, b: null }, want: '{"b":null}' },
    { note: "undefined in an array is null, as JSON.stringify does", value: [undefined, 1], want: "[null,1]" },
    { note: "strings escaped", value: { 'k"': "line\nbreak" }, want: '{"k\\"":"line\\nbreak"}' },
    { note: "scalars", value: 1.5, want: "1.5" },
  ])("$note", ({ value, want }) => {
    expect(canonicalJson(value)).toBe(want);
  });
});

describe("bodyFingerprint", () => {
  // sha256("{}") = 44136fa3…, worked out with `printf '{}' | sha256sum`.
  it("is the SHA-256 of the canonical JSON", () => {
    expect(bodyFingerprint({})).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });
  it.each([
    { note: "key order does not matter", a: { services: ["x"], version: "1" }, b: { version: "1", services: ["x"] }, same: true },
    { note: "another service differs", a: { services: ["x"] }, b: { services: ["y"] }, same: false },
    { note: "another version differs", a: { services: ["x"], version: "1" }, b: { services: ["x"], version: "2" }, same: false },
    { note: "a dry run differs from a recorded run", a: { dryRun: false }, b: { dryRun: true }, same: false },
  ])("$note", ({ a, b, same }) => {
    expect(bodyFingerprint(a) === bodyFingerprint(b)).toBe(same);
  });
});

describe("parseIdempotencyKey", () => {
  it.each([
    { header: null, want: { ok: true, key: null } },
    { header: "deploy-42", want: { ok: true, key: "deploy-42" } },
    { header: "x".repeat(200), want: { ok: true, key: "x".repeat(200) } },
    { header: "x".repeat(201), want: { ok: false } },
    { header: "", want: { ok: false } },
    { header: "tab\there", want: { ok: false } },
    { header: "naïve", want: { ok: false } },
  ])("$header", ({ header, want }) => {
    expect(parseIdempotencyKey(header)).toMatchObject(want);
  });
});

describe("callerNamespace", () => {
  it.each([
    { actor: { type: "token" as const, id: "t1", name: "ci", scopes: [] }, want: "token:t1" },
    { actor: { type: "user" as const, id: "u1", name: "ann", role: "editor" as const, scopes: [] }, want: "user:u1" },
    { actor: { type: "system" as const, name: "tailguard", scopes: [] }, want: "system:tailguard" },
  ])("$want", ({ actor, want }) => {
    expect(callerNamespace(actor)).toBe(want);
  });
});

describe("judgeStoredKey", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const later = (ms: number) => new Date(now.getTime() + ms);
  const stored = (o: Partial<StoredKey>): StoredKey => ({ fingerprint: "f1", result: { decision: "pass" }, createdAt: ago(1000), expiresAt: later(1000), ...o });
  it.each([
    { note: "nothing stored: claim it", s: null, want: { kind: "claimable" } },
    { note: "same body, finished: replay", s: stored({}), want: { kind: "replay", result: { decision: "pass" } } },
    { note: "other body, finished: refused", s: stored({ fingerprint: "f2" }), want: { kind: "reused" } },
    { note: "other body, still running: refused", s: stored({ fingerprint: "f2", result: null }), want: { kind: "reused" } },
    { note: "same body, still running: wait", s: stored({ result: null }), want: { kind: "in_progress" } },
    { note: "expired exactly now: claim afresh", s: stored({ expiresAt: now }), want: { kind: "claimable" } },
    { note: "expired, other body: claim afresh", s: stored({ fingerprint: "f2", expiresAt: ago(1) }), want: { kind: "claimable" } },
    { note: "running for the stale limit: presumed dead, claim", s: stored({ result: null, createdAt: ago(IDEMPOTENCY_STALE_CLAIM_MS) }), want: { kind: "claimable" } },
    { note: "running 1 ms short of the stale limit: wait", s: stored({ result: null, createdAt: ago(IDEMPOTENCY_STALE_CLAIM_MS - 1) }), want: { kind: "in_progress" } },
  ])("$note", ({ s, want }) => {
    expect(judgeStoredKey(s, "f1", now)).toEqual(want);
  });
});
