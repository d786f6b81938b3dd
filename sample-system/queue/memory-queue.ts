// The embedded queue: the RabbitMQ adapter's semantics in process (prefetch per consumer, delayed
// retries, a dead-letter list, redelivery when a handler fails) for runs without AMQP_URL.
import type { Delivery, DeliveryHandler, JobQueue, QueueDepth, QueueEnvelope } from "./message";

type Consumer = { prefetch: number; inFlight: number; handler: DeliveryHandler; active: boolean };

export class MemoryJobQueue implements JobQueue {
  readonly system = "in-process";
  readonly tracedByInstrumentation = false;
  readonly deadLetterQueue: string;
  private readonly ready: Array<{ envelope: QueueEnvelope; redelivered: boolean }> = [];
  private readonly dead: QueueEnvelope[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly consumers: Consumer[] = [];
  private nextConsumer = 0;
  private closed = false;

  constructor(readonly mainQueue: string) {
    this.deadLetterQueue = `${mainQueue}.dlq`;
  }

  // Serialised like a broker would, so no consumer shares an object with the producer.
  private copy(envelope: QueueEnvelope): QueueEnvelope {
    return JSON.parse(JSON.stringify(envelope)) as QueueEnvelope;
  }

  async publish(envelope: QueueEnvelope): Promise<void> {
    if (this.closed) throw new Error("queue closed");
    this.ready.push({ envelope: this.copy(envelope), redelivered: false });
    this.dispatch();
  }

  async publishRetry(envelope: QueueEnvelope, delayMs: number): Promise<string> {
    const copy = this.copy(envelope);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) void this.publish(copy);
    }, delayMs);
    this.timers.add(timer);
    return `${this.mainQueue}.retry.${envelope.body.attempt}`;
  }

  async publishDead(envelope: QueueEnvelope): Promise<void> {
    this.dead.push(this.copy(envelope));
  }

  /** Dead-lettered messages, oldest first (what an operator would inspect). */
  deadLetters(): readonly QueueEnvelope[] {
    return this.dead;
  }

  async consume(options: { prefetch: number }, handler: DeliveryHandler): Promise<{ cancel(): Promise<void> }> {
    const consumer: Consumer = { prefetch: options.prefetch, inFlight: 0, handler, active: true };
    this.consumers.push(consumer);
    this.dispatch();
    return {
      cancel: async () => {
        consumer.active = false;
        this.consumers.splice(this.consumers.indexOf(consumer), 1);
      },
    };
  }

  private pickConsumer(): Consumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const c = this.consumers[(this.nextConsumer + i) % this.consumers.length];
      if (c && c.inFlight < c.prefetch) {
        this.nextConsumer = (this.nextConsumer + i + 1) % this.consumers.length;
        return c;
      }
    }
    return undefined;
  }

  private dispatch(): void {
    for (let consumer = this.pickConsumer(); consumer && this.ready.length > 0; consumer = this.pickConsumer()) {
      const item = this.ready.shift();
      if (!item) return;
      const c = consumer;
      c.inFlight++;
      const delivery: Delivery = { envelope: item.envelope, redelivered: item.redelivered, receivedAtMs: Date.now() };
      c.handler(delivery).then(
        () => this.settle(c),
        () => {
          // A failed handler returns the message to the head of the queue, as a broker nack would.
          if (!this.closed) this.ready.unshift({ envelope: item.envelope, redelivered: true });
          this.settle(c);
        },
      );
    }
  }

  private settle(consumer: Consumer): void {
    consumer.inFlight--;
    setImmediate(() => this.dispatch());
  }

  async depth(): Promise<QueueDepth> {
    return { ready: this.ready.length, retrying: this.timers.size, dead: this.dead.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
