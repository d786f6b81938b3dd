// The spans or jobs that spent an SLO's budget most recently: what the SLO page links to so an
// SRE can go from "budget burning" to the failing request or job.
import type { Database } from "../../db/client";
import type { SloDefinition } from "../core/definition";
import { matchesAttribute } from "../core/span-sli";

export type Burner =
  | { type: "span"; traceId: string; spanId: string; service: string; name: string; at: string; durationMs: number; reason: string }
  | { type: "job"; jobId: string; traceId: string | null; at: string; durationMs: number; status: string; reason: string };

const NS_PER_MS = 1_000_000n;

type SpanRowLite = { trace_id: string; span_id: string; service: string; name: string; start_ns: string; duration_ns: string; status_code: string; http_status_code: number | null; attributes: Record<string, unknown> };

async function badSpans(db: Database, d: SloDefinition, fromNs: bigint, limit: number): Promise<Burner[]> {
  const sli = d.sli;
  if (sli.kind !== "availability" && sli.kind !== "latency") return [];
  const s = sli.selector;
  const params: unknown[] = [s.service, String(fromNs)];
  const where = ["service = $1", "start_ns >= $2::bigint"];
  if (s.spanKind) where.push(`kind = $${params.push(s.spanKind.toUpperCase())}`);
  if (s.spanName) where.push(`name = $${params.push(s.spanName)}`);
  if (s.route) where.push(`http_route = $${params.push(s.route)}`);
  if (sli.kind === "latency") where.push(`duration_ns > $${params.push(String(BigInt(Math.round(sli.thresholdMs)) * NS_PER_MS))}::bigint`);
  else where.push(`(status_code = 'ERROR'${sli.treat5xxAsError ? " OR http_status_code >= 500" : ""})`);
  const order = sli.kind === "latency" ? "duration_ns DESC" : "start_ns DESC";
  // Attribute matchers are applied here, after SQL narrowed by the indexed columns.
  const rows = await db.sql.query<SpanRowLite>(
    `SELECT trace_id, span_id, service, name, start_ns::text, duration_ns::text, status_code, http_status_code, attributes FROM spans WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${limit * 5}`,
    params,
  );
  return rows
    .filter((r) => s.attributes.every((m) => matchesAttribute(m, r.attributes)))
    .slice(0, limit)
    .map((r) => ({
      type: "span" as const,
      traceId: r.trace_id,
      spanId: r.span_id,
      service: r.service,
      name: r.name,
      at: new Date(Number(BigInt(r.start_ns) / NS_PER_MS)).toISOString(),
      durationMs: Number(BigInt(r.duration_ns)) / 1e6,
      reason: sli.kind === "latency" ? `slower than ${sli.thresholdMs} ms` : r.status_code === "ERROR" ? "error status" : `HTTP ${r.http_status_code}`,
    }));
}

async function badJobs(db: Database, d: SloDefinition, fromNs: bigint, limit: number): Promise<Burner[]> {
  const sli = d.sli;
  if (sli.kind !== "jobCompletion") return [];
  const thresholdNs = BigInt(Math.round(sli.thresholdMs)) * NS_PER_MS;
  const service = sli.selector?.service ?? sli.service ?? null;
  const rows = await db.sql.query<{ job_id: string; trace_ids: string[]; status: string; first_seen_ns: string; status_time_ns: string }>(
    `SELECT job_id, trace_ids, status, first_seen_ns::text, status_time_ns::text FROM jobs
     WHERE status_time_ns >= $1::bigint AND status <> 'running'
       AND (status = 'failed' OR status_time_ns - first_seen_ns > $2::bigint)
       AND ($3::text IS NULL OR $3 = ANY(services)) AND ($4::text IS NULL OR $4 = ANY(queues))
     ORDER BY status_time_ns DESC LIMIT $5`,
    [String(fromNs), String(thresholdNs), service, sli.queue ?? null, limit],
  );
  return rows.map((r) => {
    const durationNs = BigInt(r.status_time_ns) - BigInt(r.first_seen_ns);
    return {
      type: "job" as const,
      jobId: r.job_id,
      traceId: r.trace_ids[0] ?? null,
      at: new Date(Number(BigInt(r.status_time_ns) / NS_PER_MS)).toISOString(),
      durationMs: Number(durationNs) / 1e6,
      status: r.status,
      reason: r.status === "failed" ? "failed" : `took longer than ${sli.thresholdMs / 1000} s end to end`,
    };
  });
}

/** The most recent (availability, jobs) or slowest (latency) events that counted as bad in the last `hours`. */
export async function recentBurners(db: Database, d: SloDefinition, now: Date, opts: { hours?: number; limit?: number } = {}): Promise<Burner[]> {
  const fromNs = BigInt(now.getTime() - (opts.hours ?? 24) * 3_600_000) * NS_PER_MS;
  const limit = opts.limit ?? 10;
  return [...(await badSpans(db, d, fromNs, limit)), ...(await badJobs(db, d, fromNs, limit))];
}
