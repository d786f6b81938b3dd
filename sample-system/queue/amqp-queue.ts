// The RabbitMQ adapter (amqplib): a durable main queue, one delay queue per retry attempt whose
// expired messages dead-letter back to the main queue, and a dead-letter queue for the last attempt.
import { isWrapped } from "@opentelemetry/instrumentation";
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from "amqplib";
import { parseJobMessage, type DeliveryHandler, type JobQueue, type QueueDepth, type QueueEnvelope } from "./message";

/** Retry delay queues exist for attempts 2..MAX_ATTEMPTS_SUPPORTED (the aggressive policy's 8). */
export const MAX_ATTEMPTS_SUPPORTED = 8;

export class AmqpJobQueue implements JobQueue {
  readonly system = "rabbitmq";
  readonly deadLetterQueue: string;
  private readonly channels = new Set<Channel>();
  private statsChannel: Channel | undefined;

  private constructor(readonly mainQueue: string, private readonly connection: ChannelModel, private readonly publisher: ConfirmChannel) {
    this.deadLetterQueue = `${mainQueue}.dlq`;
  }

  static async open(options: { url: string; mainQueue: string }): Promise<AmqpJobQueue> {
    const connection = await connect(options.url);
    connection.on("error", (err: Error) => console.error(`[sample-system] AMQP connection error: ${err.message}`));
    const publisher = await connection.createConfirmChannel();
    publisher.on("error", (err: Error) => console.error(`[sample-system] AMQP publish channel error: ${err.message}`));
    const queue = new AmqpJobQueue(options.mainQueue, connection, publisher);
    await queue.assertTopology(publisher);
    return queue;
  }

  get tracedByInstrumentation(): boolean {
    return isWrapped(this.publisher.publish);
  }

  retryQueue(attempt: number): string {
    return `${this.mainQueue}.retry.${attempt}`;
  }

  // A delay queue per attempt keeps similar delays together: RabbitMQ expires messages only at the
  // head of a queue, so one queue mixing 50 ms and 8 s delays would hold the short ones back.
  private async assertTopology(ch: Channel): Promise<void> {
    await ch.assertQueue(this.mainQueue, { durable: true });
    await ch.assertQueue(this.deadLetterQueue, { durable: true });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS_SUPPORTED; attempt++) {
      await ch.assertQueue(this.retryQueue(attempt), { durable: true, deadLetterExchange: "", deadLetterRoutingKey: this.mainQueue });
    }
  }

  private send(queue: string, envelope: QueueEnvelope, extra: { expiration?: string } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.publisher.sendToQueue(
        queue,
        Buffer.from(JSON.stringify(envelope.body)),
        { persistent: true, contentType: "application/json", messageId: envelope.messageId, timestamp: Math.floor(Date.now() / 1000), headers: envelope.headers, ...extra },
        (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      );
    });
  }

  publish(envelope: QueueEnvelope): Promise<void> {
    return this.send(this.mainQueue, envelope);
  }

  async publishRetry(envelope: QueueEnvelope, delayMs: number): Promise<string> {
    const queue = this.retryQueue(Math.min(envelope.body.attempt, MAX_ATTEMPTS_SUPPORTED));
    await this.send(queue, envelope, { expiration: String(Math.max(0, Math.round(delayMs))) });
    return queue;
  }

  publishDead(envelope: QueueEnvelope): Promise<void> {
    return this.send(this.deadLetterQueue, envelope);
  }

  async consume(options: { prefetch: number }, handler: DeliveryHandler): Promise<{ cancel(): Promise<void> }> {
    const ch = await this.connection.createChannel();
    ch.on("error", (err: Error) => console.error(`[sample-system] AMQP consumer channel error: ${err.message}`));
    this.channels.add(ch);
    await ch.prefetch(options.prefetch);
    // A channel closed meanwhile (shutdown) drops the ack: the broker redelivers the message.
    const settle = (fn: () => void) => {
      try {
        fn();
      } catch {
        /* channel closed */
      }
    };
    const onMessage = (msg: ConsumeMessage | null) => {
      if (!msg) return;
      const body = parseJobMessage(msg.content);
      const headers = Object.fromEntries(Object.entries(msg.properties.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]));
      if (!body) {
        // Not a job message at all: nothing to retry, straight to the dead-letter queue.
        ch.sendToQueue(this.deadLetterQueue, msg.content, { headers: { ...headers, "x-rejected": "invalid job message" } });
        ch.ack(msg);
        return;
      }
      const envelope: QueueEnvelope = { messageId: String(msg.properties.messageId ?? ""), body, headers };
      handler({ envelope, redelivered: msg.fields.redelivered, deliveryTag: msg.fields.deliveryTag, receivedAtMs: Date.now() }).then(
        () => settle(() => ch.ack(msg)),
        () => settle(() => ch.nack(msg, false, true)),
      );
    };
    const { consumerTag } = await ch.consume(this.mainQueue, onMessage, { noAck: false });
    return {
      cancel: async () => {
        await ch.cancel(consumerTag).catch(() => undefined);
        this.channels.delete(ch);
        await ch.close().catch(() => undefined);
      },
    };
  }

  // A failed checkQueue closes its channel, so depth reads use their own, reopened on demand.
  async depth(): Promise<QueueDepth> {
    try {
      if (!this.statsChannel) {
        const opened = await this.connection.createChannel();
        opened.on("error", () => undefined);
        opened.on("close", () => {
          if (this.statsChannel === opened) this.statsChannel = undefined;
        });
        this.statsChannel = opened;
      }
      const ch = this.statsChannel;
      const main = await ch.checkQueue(this.mainQueue);
      const dead = await ch.checkQueue(this.deadLetterQueue);
      let retrying = 0;
      for (let a = 2; a <= MAX_ATTEMPTS_SUPPORTED; a++) retrying += (await ch.checkQueue(this.retryQueue(a))).messageCount;
      return { ready: main.messageCount, retrying, dead: dead.messageCount };
    } catch {
      this.statsChannel = undefined;
      return { ready: 0, retrying: 0, dead: 0 };
    }
  }

  /** Removes every queue of this topology (tests and throwaway runs). */
  async deleteTopology(): Promise<void> {
    const ch = await this.connection.createChannel();
    for (const q of [this.mainQueue, this.deadLetterQueue, ...Array.from({ length: MAX_ATTEMPTS_SUPPORTED - 1 }, (_, i) => this.retryQueue(i + 2))]) {
      await ch.deleteQueue(q);
    }
    await ch.close();
  }

  async close(): Promise<void> {
    for (const ch of this.channels) await ch.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
