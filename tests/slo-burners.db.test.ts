// The SLO page's "what burned the budget": bad spans and jobs found from stored telemetry.
import { expect, it } from "vitest";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { parseSloDefinition, type SloDefinitionInput } from "../lib/slo/core/definition";
import { recentBurners } from "../lib/slo/store/burners";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";

const NOW = new Date(Number(T0 / MS) + 3_600_000);

function def(input: Partial<SloDefinitionInput> & Pick<SloDefinitionInput, "sli">) {
  const r = parseSloDefinition({ name: "s", service: "api", objectivePercent: 99, window: { type: "rolling", durationDays: 7 }, ...input });
  if (!r.ok) throw new Error(r.reason);
  return r.definition;
}

describeEachDatabase("SLO burners", ({ db }) => {
  it("lists error spans, slow spans and failed or slow jobs of the SLO's selector", async () => {
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => NOW.getTime() });
    const base = { service: "api", name: "POST /pay", kind: 2, startNs: T0 };
    const specs = [
      { ...base, traceId: hexId(32, 1), spanId: hexId(16, 1), durationMs: 20 },
      { ...base, traceId: hexId(32, 2), spanId: hexId(16, 2), durationMs: 900 },
      { ...base, traceId: hexId(32, 3), spanId: hexId(16, 3), durationMs: 30, error: true },
      { ...base, traceId: hexId(32, 4), spanId: hexId(16, 4), durationMs: 30, attributes: { "http.response.status_code": 503 } },
      { ...base, service: "other", traceId: hexId(32, 5), spanId: hexId(16, 5), durationMs: 5000, error: true },
    ];
    await writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(NOW.getTime()) * MS }).spans);

    const availability = await recentBurners(db(), def({ sli: { kind: "availability", selector: { service: "api", spanKind: "server" } } }), NOW);
    expect(availability.map((b) => b.type === "span" && [b.spanId, b.reason]).sort()).toEqual([[hexId(16, 3), "error status"], [hexId(16, 4), "HTTP 503"]]);
    const latency = await recentBurners(db(), def({ sli: { kind: "latency", selector: { service: "api" }, thresholdMs: 300 } }), NOW);
    expect(latency.map((b) => b.type === "span" && [b.spanId, b.durationMs])).toEqual([[hexId(16, 2), 900]]);

    const job = (id: string, status: string, e2eMs: number, queue = "jobs") =>
      db().sql.query(
        `INSERT INTO jobs (job_id, first_seen_ns, last_seen_ns, attempts, max_job_attempt, consumer_span_ids, status, status_time_ns, services, trace_ids, queues)
         VALUES ($1, $2::bigint, $3::bigint, 1, 1, '{}', $4, $3::bigint, '{api,worker}', $5, $6)`,
        [id, String(T0), String(T0 + BigInt(e2eMs) * MS), status, [hexId(32, 9)], [queue]],
      );
    await job("fast-ok", "succeeded", 1_000);
    await job("slow-ok", "succeeded", 400_000);
    await job("failed", "failed", 2_000);
    await job("elsewhere", "failed", 2_000, "other");
    const jobs = await recentBurners(db(), def({ service: "worker", sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 } }), NOW);
    expect(jobs.map((b) => b.type === "job" && [b.jobId, b.reason]).sort()).toEqual([["failed", "failed"], ["slow-ok", "took longer than 300 s end to end"]]);
  });
});
