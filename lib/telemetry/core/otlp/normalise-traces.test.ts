import { describe, expect, it } from "vitest";
import { decodeTraceRequest, type OtlpEncoding } from "./decode";
import { normaliseTraces, type SpanRow } from "./normalise-traces";
import { BASE_UNIX_NANO, encodeTraceJson, int, nanoText, str } from "../../../../tests/fixtures/otlp-payloads";
import type { OtlpTraceRequest } from "./types";

const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;
const TRACE = "5b8efff798038103d269b633813fc60c";
const TRACE2 = "0af7651916cd43dd8448eb211c80319c";
const API_SPAN = "eee19b7ec3c1b174";
const PUBLISH_SPAN = "eee19b7ec3c1b175";
const PROCESS_SPAN = "00f067aa0ba902b7";

function request(): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "checkout-api"), str("service.version", "1.4.2"), str("deployment.environment.name", "prod")] },
        scopeSpans: [
          {
            scope: { name: "@opentelemetry/instrumentation-http", version: "0.57.0" },
            spans: [
              {
                traceId: TRACE.toUpperCase(),
                spanId: API_SPAN,
                name: "POST /jobs",
                kind: 2,
                startTimeUnixNano: nanoText(123_456_789n),
                endTimeUnixNano: nanoText(323_456_791n),
                attributes: [str("http.method", "POST"), str("http.route", "/jobs"), int("http.status_code", "202"), str("job.id", "job-42")],
                status: { code: 1 },
              },
              {
                traceId: TRACE,
                spanId: PUBLISH_SPAN,
                parentSpanId: API_SPAN,
                name: "jobs publish",
                kind: 4,
                startTimeUnixNano: nanoText(200_000_000n),
                endTimeUnixNano: nanoText(200_000_001n),
                attributes: [
                  str("messaging.system", "rabbitmq"),
                  str("messaging.operation", "publish"),
                  str("messaging.destination.name", "jobs"),
                  str("messaging.message.id", "m-1"),
                  int("job.id", 42),
                  { key: "big", value: { intValue: "9007199254740993" } },
                  { key: "nested", value: { kvlistValue: { values: [{ key: "a", value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 1.5 }, {}] } } }] } } },
                  { key: "raw", value: { bytesValue: "AQID" } },
                ],
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [str("service.name", "gpu-worker")] },
        scopeSpans: [
          {
            scope: { name: "worker" },
            spans: [
              {
                traceId: TRACE2,
                spanId: PROCESS_SPAN,
                name: "jobs process",
                kind: 5,
                startTimeUnixNano: nanoText(1_000_000_000n),
                endTimeUnixNano: nanoText(61_000_000_007n),
                attributes: [str("celery.task_id", "job-42"), str("job.attempt", "2"), str("messaging.operation.type", "deliver"), str("messaging.destination.name", "jobs")],
                events: [{ timeUnixNano: nanoText(60_000_000_000n), name: "exception", attributes: [str("exception.message", "CUDA out of memory")] }],
                links: [
                  { traceId: TRACE, spanId: PUBLISH_SPAN, attributes: [str("messaging.operation", "publish")] },
                  { traceId: "00", spanId: PUBLISH_SPAN },
                ],
                status: { code: 2, message: "CUDA out of memory" },
              },
            ],
          },
        ],
      },
    ],
  };
}

const common = { traceState: "", droppedAttributesCount: 0, droppedEventsCount: 0, events: [], links: [], droppedLinksCount: 0, truncatedValuesCount: 0, statusMessage: "" };
const api = { "service.name": "checkout-api", "service.version": "1.4.2", "deployment.environment.name": "prod" };
const noMessaging = { messagingSystem: null, messagingOperation: null, messagingDestinationName: null, messagingMessageId: null };
const noHttp = { httpMethod: null, httpRoute: null, httpStatusCode: null };

const expected: SpanRow[] = [
  {
    ...common, ...noMessaging,
    traceId: TRACE, spanId: API_SPAN, parentSpanId: null, serviceName: "checkout-api", serviceVersion: "1.4.2",
    scopeName: "@opentelemetry/instrumentation-http", scopeVersion: "0.57.0", name: "POST /jobs", kind: "SERVER", statusCode: "OK",
    startTimeUnixNano: 1_763_884_800_123_456_789n, endTimeUnixNano: 1_763_884_800_323_456_791n, durationNs: 200_000_002n,
    attributes: { "http.method": "POST", "http.route": "/jobs", "http.status_code": 202, "job.id": "job-42" },
    resourceAttributes: api, jobId: "job-42", jobAttempt: null, httpMethod: "POST", httpRoute: "/jobs", httpStatusCode: 202,
  },
  {
    ...common, ...noHttp,
    traceId: TRACE, spanId: PUBLISH_SPAN, parentSpanId: API_SPAN, serviceName: "checkout-api", serviceVersion: "1.4.2",
    scopeName: "@opentelemetry/instrumentation-http", scopeVersion: "0.57.0", name: "jobs publish", kind: "PRODUCER", statusCode: "UNSET",
    startTimeUnixNano: 1_763_884_800_200_000_000n, endTimeUnixNano: 1_763_884_800_200_000_001n, durationNs: 1n,
    attributes: {
      "messaging.system": "rabbitmq", "messaging.operation": "publish", "messaging.destination.name": "jobs", "messaging.message.id": "m-1",
      "job.id": 42, big: "9007199254740993", nested: { a: [true, 1.5, null] }, raw: "AQID",
    },
    resourceAttributes: api, jobId: "42", jobAttempt: null,
    messagingSystem: "rabbitmq", messagingOperation: "publish", messagingDestinationName: "jobs", messagingMessageId: "m-1",
  },
  {
    ...common, ...noHttp,
    traceId: TRACE2, spanId: PROCESS_SPAN, parentSpanId: null, serviceName: "gpu-worker", serviceVersion: null,
    scopeName: "worker", scopeVersion: "", name: "jobs process", kind: "CONSUMER", statusCode: "ERROR", statusMessage: "CUDA out of memory",
    startTimeUnixNano: 1_763_884_801_000_000_000n, endTimeUnixNano: 1_763_884_861_000_000_007n, durationNs: 60_000_000_007n,
    attributes: { "celery.task_id": "job-42", "job.attempt": "2", "messaging.operation.type": "deliver", "messaging.destination.name": "jobs" },
    resourceAttributes: { "service.name": "gpu-worker" },
    events: [{ timeUnixNano: 1_763_884_860_000_000_000n, name: "exception", attributes: { "exception.message": "CUDA out of memory" }, droppedAttributesCount: 0 }],
    links: [{ traceId: TRACE, spanId: PUBLISH_SPAN, traceState: "", attributes: { "messaging.operation": "publish" }, droppedAttributesCount: 0 }],
    droppedLinksCount: 1,
    jobId: "job-42", jobAttempt: 2,
    messagingSystem: null, messagingOperation: "process", messagingDestinationName: "jobs", messagingMessageId: null,
  },
];

function decodeBoth(json: Record<string, unknown>): [[OtlpEncoding, OtlpTraceRequest], [OtlpEncoding, OtlpTraceRequest]] {
  const fromJson = decodeTraceRequest(JSON.stringify(json), "json");
  const fromProto = decodeTraceRequest(encodeTraceJson(json), "protobuf");
  if (!fromJson.ok) throw new Error(fromJson.reason);
  if (!fromProto.ok) throw new Error(fromProto.reason);
  return [["json", fromJson.value], ["protobuf", fromProto.value]];
}

describe("normaliseTraces", () => {
  it.each(decodeBoth(request()))("turns a %s request into exact span rows", (_encoding, decoded) => {
    const result = normaliseTraces(decoded, { nowUnixNano: NOW, jobIdKeys: ["celery.task_id"] });
    expect(result).toEqual({ spans: expected, rejectedSpans: 0, errorMessage: null });
  });

  it("keeps nanosecond precision past 2^53 and the parent / link IDs in lowercase hex", () => {
    const [[, decoded]] = decodeBoth(request());
    const [first] = normaliseTraces(decoded, { nowUnixNano: NOW }).spans;
    expect(first?.startTimeUnixNano.toString()).toBe("1763884800123456789");
    expect(first?.traceId).toBe(TRACE);
  });

  it("without extra job ID keys the worker span has no job ID", () => {
    const [[, decoded]] = decodeBoth(request());
    expect(normaliseTraces(decoded, { nowUnixNano: NOW }).spans.map((s) => s.jobId)).toEqual(["job-42", "42", null]);
  });

  it("reads the job ID from the resource when the span has none", () => {
    const json = request();
    const withResourceJob = structuredClone(json) as { resourceSpans: Array<{ resource: { attributes: unknown[] } }> };
    withResourceJob.resourceSpans[1]?.resource.attributes.push(str("job.id", "batch-7"));
    const [[, decoded]] = decodeBoth(withResourceJob);
    expect(normaliseTraces(decoded, { nowUnixNano: NOW }).spans[2]?.jobId).toBe("batch-7");
  });

  it("defaults the service name and reads messaging retry hints as the attempt", () => {
    const json = {
      resourceSpans: [{ scopeSpans: [{ spans: [{
        traceId: TRACE, spanId: API_SPAN, startTimeUnixNano: nanoText(0n), endTimeUnixNano: nanoText(5n),
        attributes: [int("messaging.gcp_pubsub.message.delivery_attempt", 3)],
      }] }] }],
    };
    for (const [, decoded] of decodeBoth(json)) {
      const [span] = normaliseTraces(decoded, { nowUnixNano: NOW }).spans;
      expect([span?.serviceName, span?.jobAttempt, span?.kind, span?.durationNs]).toEqual(["unknown_service", 3, "INTERNAL", 5n]);
    }
  });
});

describe("normaliseTraces validation", () => {
  const DAY_NS = 86_400_000_000_000n;
  const good = { traceId: TRACE, spanId: API_SPAN, startTimeUnixNano: nanoText(0n), endTimeUnixNano: nanoText(1_000n) };
  const batch = (spans: Array<Record<string, unknown>>) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

  it.each([
    ["a 30-char trace ID", { traceId: TRACE.slice(2) }, "traceId: expected 32 hex chars, got 30"],
    ["an all-zero trace ID", { traceId: "0".repeat(32) }, "traceId: all-zero trace ID"],
    ["an 8-char span ID", { spanId: "00f067aa" }, "spanId: expected 16 hex chars, got 8"],
    ["an all-zero span ID", { spanId: "0".repeat(16) }, "spanId: all-zero span ID"],
    ["a missing span ID", { spanId: "" }, "spanId: expected 16 hex chars, got 0"],
    ["a 4-char parent span ID", { parentSpanId: "abcd" }, "parentSpanId: expected 16 hex chars, got 4"],
    ["an end before the start", { endTimeUnixNano: nanoText(-1n) }, "endTimeUnixNano: before startTimeUnixNano"],
    ["a start in 1999", { startTimeUnixNano: "946684799999999999" }, "startTimeUnixNano: 946684799999999999 is before 2000-01-01"],
    ["an unset start", { startTimeUnixNano: "0" }, "startTimeUnixNano: 0 is before 2000-01-01"],
    ["an end two days ahead", { endTimeUnixNano: String(NOW + 2n * DAY_NS) }, `endTimeUnixNano: ${NOW + 2n * DAY_NS} is more than 86400 s in the future`],
  ])("rejects %s and keeps the valid span beside it", (_case, patch, reason) => {
    for (const [, decoded] of decodeBoth(batch([good, { ...good, ...patch }, good]))) {
      const result = normaliseTraces(decoded, { nowUnixNano: NOW });
      expect([result.spans.length, result.rejectedSpans, result.errorMessage]).toEqual([2, 1, `resourceSpans[0].scopeSpans[0].spans[1].${reason}`]);
    }
  });

  it("treats an all-zero parent span ID as a root span", () => {
    const [[, decoded]] = decodeBoth(batch([{ ...good, parentSpanId: "0".repeat(16) }]));
    expect(normaliseTraces(decoded, { nowUnixNano: NOW }).spans[0]?.parentSpanId).toBeNull();
  });

  it("keeps 128 of 10,000 attributes and counts the rest as dropped", () => {
    const attributes = Array.from({ length: 10_000 }, (_, i) => str(`k${i}`, `v${i}`));
    for (const [, decoded] of decodeBoth(batch([{ ...good, attributes, droppedAttributesCount: 5 }]))) {
      const [span] = normaliseTraces(decoded, { nowUnixNano: NOW }).spans;
      expect(Object.keys(span?.attributes ?? {}).length).toBe(128);
      expect(span?.attributes.k127).toBe("v127");
      expect(span?.attributes.k128).toBeUndefined();
      expect(span?.droppedAttributesCount).toBe(9_877);
    }
  });

  it("honours a configured attribute count limit; a repeated key overwrites without counting", () => {
    const attributes = [str("a", "1"), str("b", "2"), str("a", "3"), str("c", "4")];
    const [[, decoded]] = decodeBoth(batch([{ ...good, attributes }]));
    const [span] = normaliseTraces(decoded, { nowUnixNano: NOW, attributeCountLimit: 2 }).spans;
    expect([span?.attributes, span?.droppedAttributesCount]).toEqual([{ a: "3", b: "2" }, 1]);
  });

  it("cuts string values to the length limit in span, event, link and resource attributes, and counts each value once", () => {
    const long = "x".repeat(40);
    const span = {
      ...good,
      // `a` is cut, then overwritten by a short value: not counted. `list` has two long strings: one value.
      attributes: [str("a", long), str("a", "short"), str("b", long), { key: "list", value: { arrayValue: { values: [{ stringValue: long }, { stringValue: long }, { intValue: "7" }] } } }, int("n", 123456789)],
      events: [{ timeUnixNano: nanoText(1n), name: "exception", attributes: [str("exception.stacktrace", long)] }, { timeUnixNano: nanoText(2n), name: "kept whole", attributes: [str("m", "ok")] }],
      links: [{ traceId: TRACE2, spanId: PUBLISH_SPAN, attributes: [str("l", long)] }],
    };
    const json = { resourceSpans: [{ resource: { attributes: [str("service.name", "svc"), str("host.name", long)] }, scopeSpans: [{ spans: [span] }] }] };
    for (const [, decoded] of decodeBoth(json)) {
      const [row] = normaliseTraces(decoded, { nowUnixNano: NOW, attributeValueLengthLimit: 16 }).spans;
      const cut = "x".repeat(16);
      expect(row?.attributes).toEqual({ a: "short", b: cut, list: [cut, cut, 7], n: 123456789 });
      expect(row?.events.map((e) => e.attributes)).toEqual([{ "exception.stacktrace": cut }, { m: "ok" }]);
      expect(row?.links[0]?.attributes).toEqual({ l: cut });
      expect(row?.resourceAttributes).toEqual({ "service.name": "svc", "host.name": cut });
      // b, list, the event's stack trace, the link's attribute and the resource's host.name.
      expect([row?.truncatedValuesCount, row?.droppedAttributesCount]).toEqual([5, 0]);
    }
  });

  it("keeps values of any length under the default limit of 16,384 characters, and cuts longer ones", () => {
    const json = batch([{ ...good, attributes: [str("fits", "y".repeat(16_384)), str("cut", "z".repeat(1_000_000))] }]);
    for (const [, decoded] of decodeBoth(json)) {
      const [row] = normaliseTraces(decoded, { nowUnixNano: NOW }).spans;
      expect([(row?.attributes.fits as string).length, (row?.attributes.cut as string).length, row?.truncatedValuesCount]).toEqual([16_384, 16_384, 1]);
    }
  });

  it("keeps a `__proto__` attribute as data", () => {
    const [[, decoded]] = decodeBoth(batch([{ ...good, attributes: [str("__proto__", "x")] }]));
    const [span] = normaliseTraces(decoded, { nowUnixNano: NOW }).spans;
    expect(JSON.stringify(span?.attributes)).toBe('{"__proto__":"x"}');
  });
});
