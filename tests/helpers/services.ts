// Test helpers for the real services on 127.0.0.1: probes (a missing service skips its tests with
// one visible line, or fails them under CI=true) and unique queue names. Databases: ./postgres.
import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import { Redis } from "ioredis";
import { probePostgres } from "./postgres";

export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function problemOf(probe: () => Promise<void>): Promise<string | null> {
  try {
    await probe();
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

/** Probes each named service once; returns whether all answered. */
export async function requireServices(names: Array<"rabbitmq" | "postgresql" | "redis">): Promise<boolean> {
  const probes = {
    rabbitmq: async () => {
      const c = await connect(TEST_AMQP_URL, { timeout: 3000 });
      await c.close();
    },
    postgresql: async () => {
      const problem = await probePostgres();
      if (problem) throw new Error(problem);
    },
    redis: async () => {
      const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on("error", () => undefined);
      try {
        await r.connect();
        await r.ping();
      } finally {
        r.disconnect();
      }
    },
  };
  const problems: string[] = [];
  for (const name of names) {
    const problem = await problemOf(probes[name]);
    if (problem) problems.push(`${name} (${problem})`);
  }
  if (problems.length === 0) return true;
  const line = `SKIP sample-system integration tests: ${problems.join(", ")} did not answer`;
  if (process.env.CI === "true") throw new Error(`${line} — required under CI=true`);
  console.warn(line);
  return false;
}

export function uniqueName(label: string): string {
  return `tg_test_${label}_${randomBytes(4).toString("hex")}`;
}

/** Polls `read` until `done` holds or the time runs out; returns the last value. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
