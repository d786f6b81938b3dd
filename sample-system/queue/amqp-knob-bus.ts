// Carries fault knobs from the process running a scenario to worker processes: a fanout exchange,
// one exclusive queue per subscriber.
import { connect, type Channel, type ChannelModel } from "amqplib";
import { FaultKnobsSchema, type FaultKnobs } from "../knobs";

export class AmqpKnobBus {
  private constructor(private readonly connection: ChannelModel, private readonly channel: Channel, private readonly exchange: string) {}

  static async open(options: { url: string; exchange: string }): Promise<AmqpKnobBus> {
    const connection = await connect(options.url);
    connection.on("error", () => undefined);
    const channel = await connection.createChannel();
    channel.on("error", () => undefined);
    await channel.assertExchange(options.exchange, "fanout", { durable: false, autoDelete: false });
    return new AmqpKnobBus(connection, channel, options.exchange);
  }

  publish(knobs: FaultKnobs): void {
    this.channel.publish(this.exchange, "", Buffer.from(JSON.stringify(knobs)), { contentType: "application/json" });
  }

  async subscribe(onKnobs: (knobs: FaultKnobs) => void): Promise<void> {
    const { queue } = await this.channel.assertQueue("", { exclusive: true, autoDelete: true });
    await this.channel.bindQueue(queue, this.exchange, "");
    await this.channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const parsed = FaultKnobsSchema.safeParse(JSON.parse(msg.content.toString()));
        if (parsed.success) onKnobs(parsed.data);
      },
      { noAck: true },
    );
  }

  async deleteExchange(): Promise<void> {
    await this.channel.deleteExchange(this.exchange).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
