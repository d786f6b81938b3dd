import { describe, expect, it } from "vitest";
import { parseFaroPayload } from "./payload";
import { at, EXCEPTION, faroBody, LCP, PAGE_VIEW } from "../../../tests/fixtures/faro-payloads";

describe("parseFaroPayload", () => {
  it("accepts what the SDK sends, coercing numeric attributes to text and dropping unknown keys", () => {
    const navigation = { name: "faro.navigation", timestamp: at(0), attributes: { fromUrl: "/a", toUrl: "/b", duration: 120, sameDocument: "true" } };
    const r = parseFaroPayload(faroBody({ events: [PAGE_VIEW, navigation], measurements: [LCP], exceptions: [EXCEPTION], futureField: { x: 1 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.payload.events?.[1]?.attributes).toEqual({ fromUrl: "/a", toUrl: "/b", duration: "120", sameDocument: "true" });
    expect(r.payload).not.toHaveProperty("futureField");
  });

  it("accepts an empty body: meta defaults to nothing", () => {
    expect(parseFaroPayload({})).toEqual({ ok: true, payload: { meta: {} } });
  });

  it.each([
    ["a JSON array", [], "(body): Invalid input: expected object, received array"],
    ["a timestamp that is not RFC 3339", faroBody({ exceptions: [{ ...EXCEPTION, timestamp: "yesterday" }] }), "exceptions.0.timestamp: must be an RFC 3339 timestamp such as 2026-11-23T12:00:00.000Z"],
    ["a measurement value that is text", faroBody({ measurements: [{ ...LCP, values: { lcp: "fast" } }] }), "measurements.0.values.lcp: Invalid input: expected number, received string"],
    ["an unknown log level", faroBody({ logs: [{ message: "x", level: "fatal", timestamp: at(0) }] }), "logs.0.level: must be trace, debug, info, log, warn or error"],
    ["an exception without a type", faroBody({ exceptions: [{ value: "boom", timestamp: at(0) }] }), "exceptions.0.type: Invalid input: expected string, received undefined"],
    ["a short trace ID", faroBody({ exceptions: [{ ...EXCEPTION, trace: { trace_id: "abc", span_id: "0123456789abcdef" } }] }), "exceptions.0.trace.trace_id: must be 32 hex digits"],
    ["an event without a name", faroBody({ events: [{ timestamp: at(0) }] }), "events.0.name: Invalid input: expected string, received undefined"],
    ["more than 1000 events", faroBody({ events: Array.from({ length: 1001 }, () => PAGE_VIEW) }), "events: at most 1000 items per request"],
    ["traces that are not an object", faroBody({ traces: "spans" }), "traces: Invalid input: expected object, received string"],
  ])("refuses %s, naming the field", (_case, body, reason) => {
    const r = parseFaroPayload(body);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.issues[0]?.path).toBe(reason.split(":")[0]);
  });
});
