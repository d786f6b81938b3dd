import { describe, expect, it } from "vitest";
import { canonicalJson, decideIdempotency, requestFingerprint } from "./idempotency";

describe("requestFingerprint", () => {
  it("ignores key order and undefined fields", () => {
    expect(requestFingerprint({ prompt: "cat", user_id: "u", x: undefined })).toBe(requestFingerprint({ user_id: "u", prompt: "cat" }));
  });

  it.each([
    [{ a: 1, b: [2, { d: 4, c: 3 }] }, '{"a":1,"b":[2,{"c":3,"d":4}]}'],
    ["x", '"x"'],
    [null, "null"],
  ])("canonical form of %j", (value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it("differs when the body differs", () => {
    expect(requestFingerprint({ prompt: "cat" })).not.toBe(requestFingerprint({ prompt: "dog" }));
  });
});

describe("decideIdempotency", () => {
  it.each([
    [undefined, "h1", { kind: "new" }],
    [{ jobId: "j1", requestSha256: "h1" }, "h1", { kind: "replay", jobId: "j1" }],
    [{ jobId: "j1", requestSha256: "h1" }, "h2", { kind: "conflict", jobId: "j1" }],
  ])("stored %j, request %s", (stored, hash, decision) => {
    expect(decideIdempotency(stored, hash)).toEqual(decision);
  });
});
