// The embedded defaults (in-process queue, PGlite, memory cache) behave like the RabbitMQ setup,
// and the API's front-door controls (rate limit, timeout) answer as documented.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleSystem, type SampleSystemHandle } from "./index";
import { waitFor } from "../tests/helpers/services";

type Json = Record<string, unknown>;
async function post(system: SampleSystemHandle, body: Json, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${system.apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}
// Status reads come from their own client IDs, so the tight rate limit here never meets them.
const job = async (system: SampleSystemHandle, id: unknown) =>
  (await (await fetch(`${system.apiUrl}/v1/jobs/${String(id)}`, { headers: { "x-client-id": `reader-${Math.random()}` } })).json()) as Json;
const base = { env: {}, apiPort: 0, otlpEndpoint: null, serviceTime: { distribution: "fixed", ms: 10 }, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, jitterRatio: 1 } } as const;

describe("embedded sample system (async+cache)", () => {
  let system: SampleSystemHandle;
  beforeAll(async () => {
    system = await startSampleSystem({ ...base, mode: "async+cache", metricsPort: 0, rateLimit: { ratePerS: 1, burst: 2 } });
  });
  afterAll(() => system?.stop());

  it("completes jobs, retries transient failures and dead-letters the last attempt", async () => {
    const ok = await post(system, { prompt: "a mountain lake" }, { "x-client-id": "a" });
    const flaky = await post(system, { prompt: "a jazz club", simulate: { transientFailures: 1 } }, { "x-client-id": "b" });
    const doomed = await post(system, { prompt: "a desert road", simulate: { transientFailures: 5 } }, { "x-client-id": "c" });
    expect([ok.status, flaky.status, doomed.status]).toEqual([202, 202, 202]);
    const done = (s: Json) => s.status === "succeeded" || s.status === "dead";
    expect(await waitFor(() => job(system, ok.body.job_id), done)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await waitFor(() => job(system, flaky.body.job_id), done)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await waitFor(() => job(system, doomed.body.job_id), done)).toMatchObject({ status: "dead", attempts: 3 });
    expect((await waitFor(async () => system.depth(), (d) => d.dead === 1, 3000)).dead).toBe(1);
  });

  it("answers an identical input from the cache without queueing it", async () => {
    const first = await post(system, { prompt: "a sailing ship" }, { "x-client-id": "d" });
    await waitFor(() => job(system, first.body.job_id), (s) => s.status === "succeeded");
    const second = await post(system, { prompt: "a sailing ship" }, { "x-client-id": "e" });
    expect(second.body).toMatchObject({ status: "succeeded", result_uri: (await job(system, first.body.job_id)).result_uri });
  });

  it("limits each client with a token bucket: 429 with Retry-After", async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(system, { prompt: `burst ${i}` }, { "x-client-id": "greedy" }));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 429]);
    expect(answers[2]?.headers.get("retry-after")).toBe("1");
  });

  it("rejects an invalid body naming the field", async () => {
    const bad = await post(system, { prompt: "", steps: 0 }, { "x-client-id": "f" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"path":"prompt"');
  });

  it("exposes RED, queue, worker, GPU, pool and cache metrics for Prometheus", async () => {
    const text = await (await fetch(system.metricsUrl ?? "")).text();
    for (const name of ["http_server_request_duration_seconds_bucket", "sample_queue_depth", "messaging_client_sent_messages_total", "sample_queue_acks_total", "sample_queue_redeliveries_total", "sample_queue_dlq_size", "sample_worker_busy_slots", "hw_gpu_utilization_ratio", "db_client_connection_count", "db_client_connection_wait_time_seconds_bucket", "sample_cache_hit_ratio_ratio"]) {
      expect(text, name).toContain(name);
    }
  });
});

describe("embedded sample system (sync)", () => {
  it("answers 504 when inference does not finish within the request timeout", async () => {
    const system = await startSampleSystem({ ...base, mode: "sync", metricsPort: null, workers: 1, gpuSlotsPerWorker: 1, serviceTime: { distribution: "fixed", ms: 400 }, syncRequestTimeoutMs: 200 });
    try {
      const slow = await post(system, { prompt: "an old robot" });
      expect(slow.status).toBe(504);
    } finally {
      await system.stop();
    }
  });
});
