// Reads the job, messaging and HTTP facts detectors need from span attributes, across semconv versions.
import { firstIntegerAttribute, firstStringAttribute, integerAttribute, stringAttribute, type Attributes } from "./attributes";

export const DEFAULT_JOB_ID_KEYS: readonly string[] = ["job.id"];

/**
 * Delivery counters that messaging semconv defines per system; each counts deliveries from 1, like an attempt.
 * Service Bus's moved from `messaging.servicebus.*` to `azure.servicebus.*`; Kafka and RabbitMQ define none.
 */
const ATTEMPT_KEYS = ["job.attempt", "azure.servicebus.message.delivery_count", "messaging.servicebus.message.delivery_count", "messaging.gcp_pubsub.message.delivery_attempt"];

/** The HTTP client's resend ordinal (1 on the first resend): `http.request.resend_count` since semconv 1.23, `http.resend_count` 1.15–1.22, `http.retry_count` before. */
const RESEND_KEYS = ["http.request.resend_count", "http.resend_count", "http.retry_count"];

/** gRPC's retry header (gRFC A6: attempts before this one) when the instrumentation captures request metadata; `rpc.grpc.request.metadata.*` became `rpc.request.metadata.*`. */
const GRPC_PREVIOUS_ATTEMPTS_KEYS = ["rpc.request.metadata.grpc-previous-rpc-attempts", "rpc.grpc.request.metadata.grpc-previous-rpc-attempts"];

export interface SpanSemconvFields {
  jobId: string | null;
  jobAttempt: number | null;
  messagingSystem: string | null;
  messagingOperation: string | null;
  messagingDestinationName: string | null;
  messagingMessageId: string | null;
  httpMethod: string | null;
  httpRoute: string | null;
  httpStatusCode: number | null;
}

/** `messaging.operation.type` (semconv ≥1.26) first, then the older `messaging.operation`; "deliver" became "process". */
function messagingOperationOf(attributes: Attributes): string | null {
  const operation = stringAttribute(attributes, "messaging.operation.type") ?? stringAttribute(attributes, "messaging.operation");
  return operation === "deliver" ? "process" : operation;
}

/** An integer, or the first of a one-value list (captured metadata is a string list, e.g. `["2"]`). */
function countAttribute(attributes: Attributes, key: string): number | null {
  const value = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
  if (Array.isArray(value)) return value.length === 0 ? null : integerAttribute({ v: value[0] ?? null }, "v");
  return integerAttribute(attributes, key);
}

/**
 * Whether a span is a retry: a job's or message's second or later attempt (`jobAttempt`, from `job.attempt` or a
 * broker's delivery count), an HTTP request resent (resend count > 0), or a gRPC call with previous attempts.
 */
export function isRetrySpan(span: { attributes: Attributes; jobAttempt: number | null }): boolean {
  if ((span.jobAttempt ?? 1) > 1) return true;
  for (const key of RESEND_KEYS) {
    const n = countAttribute(span.attributes, key);
    if (n !== null) return n > 0;
  }
  for (const key of GRPC_PREVIOUS_ATTEMPTS_KEYS) {
    const n = countAttribute(span.attributes, key);
    if (n !== null) return n > 0;
  }
  return false;
}

/** `jobIdKeys` are tried in order on the span's attributes, then on the resource's. */
export function spanSemconvFields(spanAttributes: Attributes, resourceAttributes: Attributes, jobIdKeys: readonly string[]): SpanSemconvFields {
  const both = [spanAttributes, resourceAttributes];
  return {
    jobId: firstStringAttribute(both, jobIdKeys),
    jobAttempt: firstIntegerAttribute(both, ATTEMPT_KEYS),
    messagingSystem: stringAttribute(spanAttributes, "messaging.system"),
    messagingOperation: messagingOperationOf(spanAttributes),
    messagingDestinationName: stringAttribute(spanAttributes, "messaging.destination.name") ?? stringAttribute(spanAttributes, "messaging.destination"),
    messagingMessageId: stringAttribute(spanAttributes, "messaging.message.id"),
    httpMethod: stringAttribute(spanAttributes, "http.request.method") ?? stringAttribute(spanAttributes, "http.method"),
    httpRoute: stringAttribute(spanAttributes, "http.route"),
    httpStatusCode: integerAttribute(spanAttributes, "http.response.status_code") ?? integerAttribute(spanAttributes, "http.status_code"),
  };
}
