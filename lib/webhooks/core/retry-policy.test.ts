// Table tests for retry classification, full-jitter backoff and Retry-After.
import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyAttempt, nextStep, retryAfterMs, type AttemptOutcome } from "./retry-policy";

const NOW = new Date("2026-11-20T12:00:00Z");
const res = (statusCode: number, retryAfter?: string): AttemptOutcome => ({ kind: "response", statusCode, retryAfter });

describe("classifyAttempt", () => {
  const rows: [string, AttemptOutcome, string][] = [
    ["200", res(200), "delivered"],
    ["204", res(204), "delivered"],
    ["301 redirect is not followed", res(301), "give_up"],
    ["400", res(400), "give_up"],
    ["401", res(401), "give_up"],
    ["404", res(404), "give_up"],
    ["410", res(410), "give_up"],
    ["429", res(429), "retry"],
    ["500", res(500), "retry"],
    ["503", res(503), "retry"],
    ["timeout", { kind: "timeout" }, "retry"],
    ["connection refused", { kind: "network", message: "ECONNREFUSED" }, "retry"],
    ["URL guard refusal", { kind: "refused", message: "private address" }, "give_up"],
  ];
  for (const [name, outcome, expected] of rows) it(name, () => expect(classifyAttempt(outcome)).toBe(expected));
});

describe("backoffDelayMs (base 30 s, cap 1 h, floor 1 s)", () => {
  const rows: [attempt: number, random: number, expectedMs: number][] = [
    [1, 0.999999, 29_999], // ceiling 30 s
    [1, 0.5, 15_000],
    [2, 0.5, 30_000], // ceiling 60 s
    [4, 0.5, 120_000], // ceiling 240 s
    [8, 0.5, 1_800_000], // 30 s · 2^7 = 3,840 s, capped at 3,600 s
    [20, 0.5, 1_800_000],
    [3, 0, 1_000], // full jitter can draw 0: the floor keeps a second between attempts
  ];
  for (const [attempt, random, expected] of rows) {
    it(`attempt ${attempt}, random ${random} → ${expected} ms`, () => expect(backoffDelayMs({ attempt, random: () => random })).toBe(expected));
  }
});

describe("retryAfterMs", () => {
  const rows: [string | null, number | null][] = [
    ["120", 120_000],
    ["0", 0],
    ["Fri, 20 Nov 2026 12:02:00 GMT", 120_000],
    ["Fri, 20 Nov 2026 11:00:00 GMT", 0], // in the past
    ["soon", null],
    [null, null],
  ];
  for (const [value, expected] of rows) it(`${value} → ${expected}`, () => expect(retryAfterMs(value, NOW)).toBe(expected));
});

describe("nextStep", () => {
  const base = { now: NOW, random: () => 0.5, maxAttempts: 5 };
  it("delivered on 2xx", () => expect(nextStep({ ...base, outcome: res(200), attempt: 1 })).toEqual({ status: "delivered" }));
  it("dead at once on 400", () => expect(nextStep({ ...base, outcome: res(400), attempt: 1 })).toMatchObject({ status: "dead", reason: "HTTP 400: not retried" }));
  it("backs off on 500", () => expect(nextStep({ ...base, outcome: res(500), attempt: 2 })).toMatchObject({ status: "pending", delayMs: 30_000 }));
  it("honours Retry-After seconds on 503", () =>
    expect(nextStep({ ...base, outcome: res(503, "120"), attempt: 1 })).toEqual({ status: "pending", delayMs: 120_000, nextAttemptAt: new Date(NOW.getTime() + 120_000) }));
  it("honours an HTTP-date Retry-After on 429", () => expect(nextStep({ ...base, outcome: res(429, "Fri, 20 Nov 2026 12:10:00 GMT"), attempt: 1 })).toMatchObject({ delayMs: 600_000 }));
  it("ignores Retry-After on 500", () => expect(nextStep({ ...base, outcome: res(500, "120"), attempt: 1 })).toMatchObject({ delayMs: 15_000 }));
  it("caps Retry-After at the backoff cap", () => expect(nextStep({ ...base, outcome: res(503, "86400"), attempt: 1 })).toMatchObject({ delayMs: 3_600_000 }));
  it("dead after the last attempt", () =>
    expect(nextStep({ ...base, outcome: { kind: "timeout" }, attempt: 5 })).toMatchObject({ status: "dead", reason: "timed out: gave up after 5 attempts" }));
});
