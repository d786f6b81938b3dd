// Turns a decoded logs request into validated `LogRow`s, counting rejected records for partial success.
import { firstStringAttribute, keyValuesToAttributes, serviceNameOf, type Attributes } from "./attributes";
import { spanIdProblem, traceIdProblem } from "./id-checks";
import { resolveSpanLimits } from "./span-limits";
import { DEFAULT_JOB_ID_KEYS } from "./span-semconv";
import { timestampProblem, type TimeBounds } from "./time-bounds";
import type { AttributeValue, OtlpLogRecord, OtlpLogsRequest } from "./types";

export interface LogRow {
  /** The event time; the observed time when the event time is unset, `nowUnixNano` when both are. */
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint | null;
  severityNumber: number;
  /** As sent, or derived from the number (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) when empty. */
  severityText: string;
  /** The body as sent: a string stays a string, structured bodies stay JSON-compatible data. */
  body: AttributeValue;
  /** The body as searchable text: strings verbatim, anything else as JSON, no body as "". */
  bodyText: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  /** Attribute values (the record's and its resource's) whose strings were cut to the length limit. */
  truncatedValuesCount: number;
  resourceAttributes: Attributes;
  serviceName: string;
  scopeName: string;
  traceId: string | null;
  spanId: string | null;
  jobId: string | null;
  flags: number;
}

export interface NormaliseLogsOptions extends TimeBounds {
  jobIdKeys?: readonly string[];
  /** The OTel SDK's log record limits: the same settings as spans' (the body, like the SDK's, is not cut). */
  attributeCountLimit?: number;
  attributeValueLengthLimit?: number;
}

export interface NormaliseLogsResult {
  logs: LogRow[];
  rejectedLogRecords: number;
  errorMessage: string | null;
}

const SEVERITY_TEXTS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

export function severityTextOf(severityNumber: number): string {
  return severityNumber >= 1 && severityNumber <= 24 ? (SEVERITY_TEXTS[Math.floor((severityNumber - 1) / 4)] as string) : "";
}

function bodyTextOf(body: AttributeValue): string {
  if (body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

/** Empty IDs mean "not correlated"; malformed ones reject the record so the sender learns of the bug. */
function logProblem(log: OtlpLogRecord, bounds: TimeBounds): string | null {
  if (log.traceId !== "") {
    const problem = traceIdProblem(log.traceId);
    if (problem !== null) return `traceId: ${problem}`;
  }
  if (log.spanId !== "") {
    const problem = spanIdProblem(log.spanId);
    if (problem !== null) return `spanId: ${problem}`;
  }
  for (const key of ["timeUnixNano", "observedTimeUnixNano"] as const) {
    const problem = log[key] === 0n ? null : timestampProblem(log[key], bounds);
    if (problem !== null) return `${key}: ${problem}`;
  }
  return null;
}

export function normaliseLogs(request: OtlpLogsRequest, options: NormaliseLogsOptions): NormaliseLogsResult {
  const { attributeCountLimit: limit, attributeValueLengthLimit: valueLength } = resolveSpanLimits(options);
  const jobIdKeys = [...DEFAULT_JOB_ID_KEYS, ...(options.jobIdKeys ?? [])];
  const logs: LogRow[] = [];
  let rejectedLogRecords = 0;
  let errorMessage: string | null = null;
  request.resourceLogs.forEach((rl, ri) => {
    const { attributes: resourceAttributes, truncatedCount: resourceTruncated } = keyValuesToAttributes(rl.resource.attributes, limit, valueLength);
    const serviceName = serviceNameOf(resourceAttributes);
    rl.scopeLogs.forEach((sl, si) => {
      sl.logRecords.forEach((log, li) => {
        const problem = logProblem(log, options);
        if (problem !== null) {
          rejectedLogRecords++;
          errorMessage ??= `resourceLogs[${ri}].scopeLogs[${si}].logRecords[${li}].${problem}`;
          return;
        }
        const { attributes, droppedCount, truncatedCount } = keyValuesToAttributes(log.attributes, limit, valueLength);
        logs.push({
          timeUnixNano: log.timeUnixNano || log.observedTimeUnixNano || options.nowUnixNano,
          observedTimeUnixNano: log.observedTimeUnixNano === 0n ? null : log.observedTimeUnixNano,
          severityNumber: log.severityNumber,
          severityText: log.severityText || severityTextOf(log.severityNumber),
          body: log.body,
          bodyText: bodyTextOf(log.body),
          attributes,
          droppedAttributesCount: log.droppedAttributesCount + droppedCount,
          truncatedValuesCount: truncatedCount + resourceTruncated,
          resourceAttributes,
          serviceName,
          scopeName: sl.scope.name,
          traceId: log.traceId === "" ? null : log.traceId,
          spanId: log.spanId === "" ? null : log.spanId,
          jobId: firstStringAttribute([attributes, resourceAttributes], jobIdKeys),
          flags: log.flags,
        });
      });
    });
  });
  return { logs, rejectedLogRecords, errorMessage };
}
