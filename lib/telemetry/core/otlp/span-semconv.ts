// Reads the job, messaging and HTTP facts detectors need from span attributes, across semconv versions.
import { firstIntegerAttribute, firstStringAttribute, integerAttribute, stringAttribute, type Attributes } from "./attributes";

export const DEFAULT_JOB_ID_KEYS: readonly string[] = ["job.id"];

/** Delivery counters that messaging semconv defines per system; each counts deliveries from 1, like an attempt. */
const ATTEMPT_KEYS = ["job.attempt", "messaging.servicebus.message.delivery_count", "messaging.gcp_pubsub.message.delivery_attempt"];

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
