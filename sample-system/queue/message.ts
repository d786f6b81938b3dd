// The job message on the wire: a JSON body validated with zod, plus string headers that carry
// the W3C trace context, the job ID and the attempt number.
import { z } from "zod";
import { JobPayloadSchema } from "../api/schemas";

export const JobMessageSchema = z.object({
  jobId: z.uuid(),
  userId: z.uuid(),
  attempt: z.number().int().min(1),
  createdAtMs: z.number().int(),
  payload: JobPayloadSchema,
});
export type JobMessage = z.infer<typeof JobMessageSchema>;

export type QueueEnvelope = { messageId: string; body: JobMessage; headers: Record<string, string> };
export type Delivery = { envelope: QueueEnvelope; redelivered: boolean; deliveryTag?: number; receivedAtMs: number };
/** Resolves: the delivery is acknowledged. Rejects: it is returned to the queue (a redelivery). */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;
export type QueueDepth = { ready: number; retrying: number; dead: number };

export interface JobQueue {
  readonly system: "rabbitmq" | "in-process";
  readonly mainQueue: string;
  readonly deadLetterQueue: string;
  /** True when automatic instrumentation already makes publish and process spans for this queue. */
  readonly tracedByInstrumentation: boolean;
  publish(envelope: QueueEnvelope): Promise<void>;
  /** Holds the message for `delayMs`, then returns it to the main queue; answers where it waits. */
  publishRetry(envelope: QueueEnvelope, delayMs: number): Promise<string>;
  publishDead(envelope: QueueEnvelope): Promise<void>;
  consume(options: { prefetch: number }, handler: DeliveryHandler): Promise<{ cancel(): Promise<void> }>;
  depth(): Promise<QueueDepth>;
  close(): Promise<void>;
}

export function messageIdFor(jobId: string, attempt: number): string {
  return `${jobId}#${attempt}`;
}

/** Parses an incoming body; null when it is not a job message (such a message is dead-lettered). */
export function parseJobMessage(raw: Buffer | string): JobMessage | null {
  try {
    const r = JobMessageSchema.safeParse(JSON.parse(raw.toString()));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
