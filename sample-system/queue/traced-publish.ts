// Publishes a job message inside a PRODUCER span (messaging semconv) and puts that span's W3C
// context, the job ID and the attempt into the message headers. On an instrumented RabbitMQ queue the
// PRODUCER span is instrumentation-amqplib's (given these attributes), so there is only one.
import { SpanKind, context, trace, type Context, type Tracer } from "@opentelemetry/api";
import { withPublishAttributes } from "../telemetry/instrumentation";
import { ATTR, HEADER } from "../telemetry/attributes";
import { injectTraceContext } from "../telemetry/propagation";
import { inSpan } from "../telemetry/spans";
import { messageIdFor, type JobMessage, type JobQueue, type QueueEnvelope } from "./message";

export type PublishTarget = { kind: "enqueue" } | { kind: "retry"; delayMs: number; previousAttemptTraceparent?: string } | { kind: "dead-letter"; reason: string };

export async function publishTraced(options: {
  queue: JobQueue;
  tracer: Tracer;
  message: JobMessage;
  target: PublishTarget;
  parent: Context;
  onSent: (destination: string) => void;
}): Promise<QueueEnvelope> {
  const { queue, tracer, message, target, parent } = options;
  const destination = target.kind === "dead-letter" ? queue.deadLetterQueue : target.kind === "retry" ? `${queue.mainQueue}.retry.${message.attempt}` : queue.mainQueue;
  const messageId = target.kind === "dead-letter" ? `${messageIdFor(message.jobId, message.attempt)}:dead` : messageIdFor(message.jobId, message.attempt);
  const attributes = {
    [ATTR.messagingSystem]: queue.system === "rabbitmq" ? "rabbitmq" : "sample.in_process",
    [ATTR.messagingOperationType]: "send",
    [ATTR.messagingOperationName]: "publish",
    [ATTR.messagingDestination]: destination,
    [ATTR.messagingMessageId]: messageId,
    [ATTR.jobId]: message.jobId,
    [ATTR.jobAttempt]: message.attempt,
    ...(target.kind === "retry" ? { "sample.retry.delay_ms": target.delayMs } : {}),
    ...(target.kind === "dead-letter" ? { "sample.dead_letter.reason": target.reason } : {}),
  };
  const send = async (traceHeaders: Record<string, string>) => {
    const headers: Record<string, string> = {
      ...traceHeaders,
      [HEADER.jobId]: message.jobId,
      [HEADER.jobAttempt]: String(message.attempt),
      // When the message becomes ready: a retry waits out its delay before the queue wait starts.
      [HEADER.enqueuedAtMs]: String(Date.now() + (target.kind === "retry" ? target.delayMs : 0)),
    };
    if (target.kind === "retry" && target.previousAttemptTraceparent) headers[HEADER.previousAttempt] = target.previousAttemptTraceparent;
    if (target.kind === "dead-letter") headers["x-dead-letter-reason"] = target.reason;
    const envelope: QueueEnvelope = { messageId, body: message, headers };
    if (target.kind === "enqueue") await queue.publish(envelope);
    else if (target.kind === "retry") await queue.publishRetry(envelope, target.delayMs);
    else await queue.publishDead(envelope);
    options.onSent(destination);
    return envelope;
  };
  const name = `publish ${destination}`;
  // instrumentation-amqplib injects its own span's context into the headers.
  if (queue.tracedByInstrumentation) return context.with(withPublishAttributes(parent, name, attributes), () => send({}));
  return inSpan(tracer, name, { kind: SpanKind.PRODUCER, attributes, parent }, (span) => send(injectTraceContext(trace.setSpan(parent, span))));
}
