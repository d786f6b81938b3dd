import { describe, expect, it } from "vitest";
import type { Attributes } from "./attributes";
import { isRetrySpan, spanSemconvFields } from "./span-semconv";

describe("isRetrySpan", () => {
  it.each<{ note: string; attributes: Attributes; jobAttempt?: number | null; want: boolean }>([
    { note: "a plain call", attributes: { "http.request.method": "GET" }, want: false },
    { note: "HTTP first resend", attributes: { "http.request.resend_count": 1 }, want: true },
    { note: "HTTP resend count sent as text", attributes: { "http.request.resend_count": "3" }, want: true },
    { note: "HTTP resend count 0 (some clients always set it)", attributes: { "http.request.resend_count": 0 }, want: false },
    { note: "semconv 1.15–1.22 name", attributes: { "http.resend_count": 2 }, want: true },
    { note: "semconv before 1.15", attributes: { "http.retry_count": 1 }, want: true },
    { note: "the newest name wins over an older one", attributes: { "http.request.resend_count": 0, "http.resend_count": 2 }, want: false },
    { note: "gRPC retry header as captured metadata", attributes: { "rpc.grpc.request.metadata.grpc-previous-rpc-attempts": ["1"] }, want: true },
    { note: "gRPC metadata under the consolidated name", attributes: { "rpc.request.metadata.grpc-previous-rpc-attempts": ["2"] }, want: true },
    { note: "gRPC header with no previous attempts", attributes: { "rpc.request.metadata.grpc-previous-rpc-attempts": ["0"] }, want: false },
    { note: "gRPC header that is not a number", attributes: { "rpc.request.metadata.grpc-previous-rpc-attempts": ["x"] }, want: false },
    { note: "a job's second attempt", attributes: {}, jobAttempt: 2, want: true },
    { note: "a job's first attempt", attributes: {}, jobAttempt: 1, want: false },
  ])("$note → $want", ({ attributes, jobAttempt, want }) => {
    expect(isRetrySpan({ attributes, jobAttempt: jobAttempt ?? null })).toBe(want);
  });
});

describe("spanSemconvFields: attempts", () => {
  it.each<{ note: string; span: Attributes; resource?: Attributes; want: number | null }>([
    { note: "job.attempt on the span", span: { "job.attempt": 3 }, want: 3 },
    { note: "job.attempt on the resource", span: {}, resource: { "job.attempt": 2 }, want: 2 },
    { note: "Service Bus delivery count (azure namespace)", span: { "azure.servicebus.message.delivery_count": 2 }, want: 2 },
    { note: "Service Bus delivery count (messaging namespace)", span: { "messaging.servicebus.message.delivery_count": 4 }, want: 4 },
    { note: "Pub/Sub delivery attempt", span: { "messaging.gcp_pubsub.message.delivery_attempt": 5 }, want: 5 },
    { note: "a RabbitMQ delivery tag is a channel sequence, not an attempt", span: { "messaging.rabbitmq.message.delivery_tag": 7 }, want: null },
  ])("$note → $want", ({ span, resource, want }) => {
    expect(spanSemconvFields(span, resource ?? {}, ["job.id"]).jobAttempt).toBe(want);
  });
});
