import { describe, expect, it } from "vitest";
import { decodeLogsRequest } from "./decode";
import { normaliseLogs } from "./normalise-logs";
import { BASE_UNIX_NANO, encodeLogsJson, nanoText, str } from "../../../../tests/fixtures/otlp-payloads";

const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;
const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

function normaliseBoth(logRecords: Array<Record<string, unknown>>, limits: { attributeCountLimit?: number; attributeValueLengthLimit?: number } = {}) {
  const json = { resourceLogs: [{ resource: { attributes: [str("service.name", "gpu-worker"), str("job.id", "from-resource")] }, scopeLogs: [{ scope: { name: "py" }, logRecords }] }] };
  return [decodeLogsRequest(JSON.stringify(json), "json"), decodeLogsRequest(encodeLogsJson(json), "protobuf")].map((r) => {
    if (!r.ok) throw new Error(r.reason);
    return normaliseLogs(r.value, { nowUnixNano: NOW, jobIdKeys: ["celery.task_id"], ...limits });
  });
}

describe("normaliseLogs", () => {
  it("turns records into rows: times, severity, string and structured bodies, IDs, job ID", () => {
    const records = [
      { timeUnixNano: nanoText(7n), observedTimeUnixNano: nanoText(9n), severityNumber: 17, body: { stringValue: "CUDA out of memory" }, traceId: TRACE, spanId: SPAN, attributes: [str("celery.task_id", "job-42")] },
      { observedTimeUnixNano: nanoText(9n), severityNumber: 9, severityText: "info", body: { kvlistValue: { values: [str("event", "retry")] } } },
      {},
    ];
    const shared = { resourceAttributes: { "service.name": "gpu-worker", "job.id": "from-resource" }, serviceName: "gpu-worker", scopeName: "py", droppedAttributesCount: 0, truncatedValuesCount: 0, flags: 0 };
    for (const result of normaliseBoth(records)) {
      expect(result).toEqual({
        logs: [
          { ...shared, timeUnixNano: BASE_UNIX_NANO + 7n, observedTimeUnixNano: BASE_UNIX_NANO + 9n, severityNumber: 17, severityText: "ERROR", body: "CUDA out of memory", bodyText: "CUDA out of memory", attributes: { "celery.task_id": "job-42" }, traceId: TRACE, spanId: SPAN, jobId: "job-42" },
          { ...shared, timeUnixNano: BASE_UNIX_NANO + 9n, observedTimeUnixNano: BASE_UNIX_NANO + 9n, severityNumber: 9, severityText: "info", body: { event: "retry" }, bodyText: '{"event":"retry"}', attributes: {}, traceId: null, spanId: null, jobId: "from-resource" },
          { ...shared, timeUnixNano: NOW, observedTimeUnixNano: null, severityNumber: 0, severityText: "", body: null, bodyText: "", attributes: {}, traceId: null, spanId: null, jobId: "from-resource" },
        ],
        rejectedLogRecords: 0,
        errorMessage: null,
      });
    }
  });

  it("applies the SDK's log record limits: long attribute values are cut and counted, attributes past the count dropped; the body is kept whole", () => {
    const big = "x".repeat(20_000);
    const records = [{ body: { stringValue: big }, attributes: [str("dump", big), str("a", "1"), str("b", "2"), str("c", "3")] }];
    for (const defaults of normaliseBoth(records)) {
      expect(defaults.logs[0]).toMatchObject({ bodyText: big, truncatedValuesCount: 1, droppedAttributesCount: 0 });
      expect((defaults.logs[0]!.attributes.dump as string).length).toBe(16_384);
    }
    for (const tight of normaliseBoth(records, { attributeCountLimit: 2, attributeValueLengthLimit: 10 })) {
      // The resource's job.id ("from-resource", 13 characters) is cut too.
      expect(tight.logs[0]).toMatchObject({ attributes: { dump: "xxxxxxxxxx", a: "1" }, droppedAttributesCount: 2, truncatedValuesCount: 2 });
      expect(tight.logs[0]!.resourceAttributes["job.id"]).toBe("from-resou");
    }
  });

  it.each([
    ["a short trace ID", { traceId: "abcd" }, "traceId: expected 32 hex chars, got 4"],
    ["an all-zero span ID", { spanId: "0".repeat(16) }, "spanId: all-zero span ID"],
    ["a time in 1970", { timeUnixNano: "1000" }, "timeUnixNano: 1000 is before 2000-01-01"],
  ])("rejects %s", (_case, record, reason) => {
    for (const result of normaliseBoth([record, {}])) {
      expect([result.logs.length, result.rejectedLogRecords, result.errorMessage]).toEqual([1, 1, `resourceLogs[0].scopeLogs[0].logRecords[0].${reason}`]);
    }
  });
});
