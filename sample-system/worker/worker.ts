// A GPU worker: consumes job messages (prefetch = GPU slots), wraps each delivery in a CONSUMER
// span (instrumentation-amqplib's on RabbitMQ, its own otherwise) linked to the previous attempt, and acknowledges only after the outcome is recorded:
// success, a delayed retry (backoff + jitter), or the dead-letter queue.
import { setMaxListeners } from "node:events";
import { SpanKind, context, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { activeSpanOf } from "../telemetry/instrumentation";
import type { JobsRepo } from "../db/jobs-repo";
import type { KnobBoard } from "../knobs";
import { AGGRESSIVE_RETRY_POLICY, decideRetry, type RetryPolicy } from "../queue/backoff";
import type { Delivery, JobMessage, JobQueue } from "../queue/message";
import { publishTraced } from "../queue/traced-publish";
import { ATTR, HEADER } from "../telemetry/attributes";
import { extractTraceContext, linkTo, spanContextToTraceparent, traceparentToSpanContext } from "../telemetry/propagation";
import { inSpan, markSpanError } from "../telemetry/spans";
import type { SimulatedGpu } from "./gpu";
import type { JobRunner } from "./job-runner";
import type { WorkerInstruments } from "./worker-instruments";

export type WorkerDeps = {
  workerId: string;
  queue: JobQueue;
  gpu: SimulatedGpu;
  runner: JobRunner;
  repo: JobsRepo;
  tracer: Tracer;
  knobs: KnobBoard;
  retryPolicy: RetryPolicy;
  instruments: WorkerInstruments;
  log: (severity: "INFO" | "WARN" | "ERROR", body: string, attributes: Record<string, string | number>, ctx: Context) => void;
};

export class Worker {
  private consumer: { cancel(): Promise<void> } | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  constructor(private readonly deps: WorkerDeps) {
    setMaxListeners(0, this.stopping.signal); // one listener per delivery in hand, by design
  }

  async start(): Promise<void> {
    this.consumer = await this.deps.queue.consume({ prefetch: this.deps.gpu.slots }, (d) => {
      const handling = this.handle(d);
      this.inFlight.add(handling);
      void handling.then(
        () => this.inFlight.delete(handling),
        () => this.inFlight.delete(handling),
      );
      return handling;
    });
  }

  /**
   * Stops consuming, lets the deliveries in hand finish for up to `drainMs`, then aborts the rest
   * (they go back to the queue unacknowledged) and resolves only when none is left running.
   */
  async stop(drainMs = 10_000): Promise<void> {
    await this.consumer?.cancel();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    this.stopping.abort();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private messagingAttributes(message: JobMessage, messageId: string) {
    const { queue } = this.deps;
    return {
      [ATTR.messagingSystem]: queue.system === "rabbitmq" ? "rabbitmq" : "sample.in_process",
      [ATTR.messagingDestination]: queue.mainQueue,
      [ATTR.messagingMessageId]: messageId,
      [ATTR.jobId]: message.jobId,
      [ATTR.jobAttempt]: message.attempt,
    };
  }

  private async handle(delivery: Delivery): Promise<void> {
    const { tracer, instruments, queue } = this.deps;
    const { body: message, headers, messageId } = delivery.envelope;
    const producerCtx = extractTraceContext(headers);
    const attrs = this.messagingAttributes(message, messageId);
    const system = { [ATTR.messagingSystem]: attrs[ATTR.messagingSystem], [ATTR.messagingDestination]: queue.mainQueue };
    instruments.consumed.add(1, system);
    if (message.attempt > 1 || delivery.redelivered) instruments.redeliveries.add(1, { [ATTR.messagingDestination]: queue.mainQueue });

    const readyAtMs = Number(headers[HEADER.enqueuedAtMs] ?? delivery.receivedAtMs);
    // Queue wait: from when the message became ready to when a worker received it.
    tracer.startSpan("queue wait", { kind: SpanKind.INTERNAL, startTime: Math.min(readyAtMs, delivery.receivedAtMs), attributes: { ...attrs, "sample.queue.wait_ms": Math.max(0, delivery.receivedAtMs - readyAtMs) } }, producerCtx).end(delivery.receivedAtMs);

    const previous = traceparentToSpanContext(headers[HEADER.previousAttempt]);
    const startedMs = performance.now();
    let outcome = "succeeded";
    const name = `process ${queue.mainQueue}`;
    const attributes = { ...attrs, [ATTR.messagingOperationType]: "process", [ATTR.messagingOperationName]: "process", [ATTR.workerId]: this.deps.workerId, "messaging.message.redelivered": delivery.redelivered };
    const links = linkTo(previous, { "sample.link.reason": "previous attempt" });
    const work = async (span: Span, ctx: Context) => {
      try {
        const result = await this.deps.runner.runAttempt(message, ctx, { stop: this.stopping.signal });
        outcome = result.kind === "duplicate" ? "duplicate" : "succeeded";
        span.setAttribute(ATTR.outcome, outcome);
        if (result.kind === "succeeded") this.recordFinished(message, "succeeded");
      } catch (err) {
        markSpanError(span, err);
        // Stopped mid-attempt: not the job's failure. Rejecting returns the delivery to the queue.
        if (this.stopping.signal.aborted) throw err;
        outcome = await this.handleFailure(message, err, ctx);
        span.setAttribute(ATTR.outcome, outcome);
      }
    };
    // One CONSUMER span per delivery: instrumentation-amqplib's when it made one (it ends it on ack).
    const automatic = activeSpanOf("amqplib");
    if (automatic) {
      automatic.updateName(name);
      automatic.setAttributes(attributes);
      automatic.addLinks(links);
      await work(automatic, context.active());
    } else {
      await inSpan(tracer, name, { kind: SpanKind.CONSUMER, attributes, links, parent: producerCtx }, work);
    }
    instruments.acks.add(1, { [ATTR.messagingDestination]: queue.mainQueue, [ATTR.outcome]: outcome });
    instruments.processDuration.record((performance.now() - startedMs) / 1000, { ...system, [ATTR.outcome]: outcome });
  }

  private recordFinished(message: JobMessage, outcome: "succeeded" | "dead_lettered"): void {
    this.deps.instruments.jobCompletion.record((Date.now() - message.createdAtMs) / 1000, { [ATTR.outcome]: outcome });
    this.deps.instruments.jobAttempts.record(message.attempt, { [ATTR.outcome]: outcome });
  }

  /** Retries or dead-letters a failed attempt; answers the outcome for the ack metric. */
  private async handleFailure(message: JobMessage, err: unknown, ctx: Context): Promise<string> {
    const { knobs, repo, queue, tracer, instruments } = this.deps;
    const policy = knobs.get().retryPolicy === "aggressive" ? AGGRESSIVE_RETRY_POLICY : this.deps.retryPolicy;
    const permanent = (err as { kind?: string }).kind === "permanent";
    const decision = decideRetry({ policy, attempt: message.attempt, permanent, random01: Math.random() });
    const ref = { jobId: message.jobId, attempt: message.attempt };
    const onSent = (destination: string) => instruments.sent.add(1, { [ATTR.messagingSystem]: queue.system === "rabbitmq" ? "rabbitmq" : "sample.in_process", [ATTR.messagingDestination]: destination, [ATTR.messagingOperationName]: "publish" });
    const logAttrs = { [ATTR.jobId]: message.jobId, [ATTR.jobAttempt]: message.attempt, [ATTR.errorType]: (err as { kind?: string }).kind ?? "error" };
    if (decision.action === "retry") {
      await repo.markStatus(ref, "retrying", ctx);
      await publishTraced({
        queue,
        tracer,
        message: { ...message, attempt: decision.nextAttempt },
        target: { kind: "retry", delayMs: decision.delayMs, previousAttemptTraceparent: spanContextToTraceparent(ctx) },
        parent: ctx,
        onSent,
      });
      this.deps.log("WARN", `attempt ${message.attempt} failed (${(err as Error).message}); retry ${decision.nextAttempt} in ${decision.delayMs} ms`, logAttrs, ctx);
      return "retried";
    }
    await repo.markStatus(ref, "dead", ctx);
    await publishTraced({ queue, tracer, message, target: { kind: "dead-letter", reason: decision.reason }, parent: ctx, onSent });
    this.recordFinished(message, "dead_lettered");
    this.deps.log("ERROR", `job dead-lettered: ${decision.reason} (${(err as Error).message})`, logAttrs, ctx);
    return "dead_lettered";
  }
}
