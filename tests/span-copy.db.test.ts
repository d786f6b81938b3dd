import { expect, it } from "vitest";
import { PartitionCache, dayOfNs } from "../lib/telemetry/write/partitions";
import { copySpans, insertSpans, spanDocument, spanInsertSql, spanKey } from "../lib/telemetry/write/spans";
import { normaliseTraces, type SpanRow } from "../lib/telemetry/core/otlp/normalise-traces";
import type { AttributeValue } from "../lib/telemetry/core/otlp/types";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

// Spans stored by COPY must read back exactly as the jsonb insert stores them, whatever their text holds; and
// insertSpans must store a span once and report only the keys that were new, as ON CONFLICT DO NOTHING does.

const AWKWARD = ["tab\there", "new\nline", "cr\r\nlf", "back\\slash", "\\N", "\\.", "nul\u0000byte", "lone \ud800 surrogate", "ünïcødé 😀 中文", "", '"quoted"'];

function awkwardSpans(): SpanRow[] {
  const specs = AWKWARD.map((text, i): SpanSpec => {
    const attributes: Record<string, AttributeValue> = {
      text, [`key ${text}`]: "v", "job.id": text === "" ? "" : `job ${text}`, "job.attempt": i, "http.request.method": text, "http.response.status_code": 200 + i,
      "messaging.destination.name": text, nested: { list: [text, 1.25, true, null], big: 2 ** 53 + 2 },
    };
    return {
      service: i % 2 === 0 ? `svc ${text}` : "plain", traceId: hexId(32, 0xc0 + i), spanId: hexId(16, i + 1), ...(i % 3 === 0 ? {} : { parentSpanId: hexId(16, 99) }),
      name: text, kind: 1 + (i % 5), startNs: T0 + BigInt(i) * MS, durationMs: 1.5 * i, error: i % 4 === 0, statusMessage: text, attributes: i % 5 === 4 ? {} : attributes,
      events: i % 2 === 0 ? [{ timeUnixNano: T0 + BigInt(i) * MS + 1n, name: text, attributes: { "exception.message": text } }] : [],
      links: i % 3 === 1 ? [{ traceId: hexId(32, 1), spanId: hexId(16, 1) }] : [],
    };
  });
  return normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 60_000n * MS }).spans;
}

function newSpans(first: number, count: number): SpanRow[] {
  const specs: SpanSpec[] = Array.from({ length: count }, (_, i) => ({
    service: "api", traceId: hexId(32, 0xd000 + first + i), spanId: hexId(16, first + i + 1), name: "GET /", kind: 2, startNs: T0 + BigInt(first + i) * MS, durationMs: 3,
  }));
  return normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 60_000n * MS }).spans;
}

describeEachDatabase("span COPY", ({ db }) => {
  it("stores every cell as the jsonb insert does: escapes, NUL, lone surrogates, unicode, nulls", async () => {
    const spans = awkwardSpans();
    expect(spans).toHaveLength(AWKWARD.length);
    spans.find((s) => s.spanId === hexId(16, 3))!.truncatedValuesCount = 3;
    for (const t of ["copy_rt", "jsonb_rt"]) await db().sql.exec(`CREATE TABLE ${t} (LIKE spans INCLUDING DEFAULTS, PRIMARY KEY (trace_id, span_id, start_ns))`);
    await copySpans(db().sql, spans, "copy_rt");
    await db().sql.query(spanInsertSql("jsonb_rt"), spanDocument(spans));
    const read = (t: string) => db().sql.query<Record<string, unknown>>(`SELECT *, start_ns::text AS start_text FROM ${t} ORDER BY trace_id`);
    const copied = await read("copy_rt");
    expect(copied).toEqual(await read("jsonb_rt"));
    expect(copied).toHaveLength(AWKWARD.length);
    const byName = new Map(copied.map((r) => [r.name, r]));
    expect(byName.get("tab\there")).toMatchObject({ status_message: "tab\there", http_method: "tab\there", attributes: expect.objectContaining({ text: "tab\there" }) });
    expect(byName.get("back\\slash")).toMatchObject({ job_id: "job back\\slash", messaging_destination: "back\\slash" });
    expect(byName.get("\\N")).toMatchObject({ status_message: "\\N", service: "svc \\N" });
    expect(byName.get("nul\ufffdbyte")).toMatchObject({ attributes: expect.objectContaining({ text: "nul\ufffdbyte" }) });
    expect(byName.get("lone \ufffd surrogate")).toBeDefined();
    expect(byName.get("")).toMatchObject({ status_message: "", job_id: null });
    const empty = copied.find((r) => r.span_id === hexId(16, 5));
    expect(empty).toMatchObject({ parent_span_id: hexId(16, 99), job_id: null, job_attempt: null, http_status_code: null, attributes: {}, dropped_counts: [0, 0, 0, 0] });
    expect(copied.find((r) => r.span_id === hexId(16, 3))).toMatchObject({ dropped_counts: [0, 0, 0, 3] });
    expect(copied.find((r) => r.span_id === hexId(16, 1))).toMatchObject({ parent_span_id: null, start_text: String(T0) });
  });

  it("returns the new keys only and stores a re-sent span once", async () => {
    await new PartitionCache(db().sql).ensure("spans", [dayOfNs(T0)]);
    const first = newSpans(0, 50);
    expect(await db().sql.transaction((tx) => insertSpans(tx, first))).toEqual(new Set(first.map(spanKey)));
    // Half of the next batch was stored already: COPY fails on it and the batch goes in by ON CONFLICT DO NOTHING.
    const overlapping = newSpans(25, 50);
    expect(await db().sql.transaction((tx) => insertSpans(tx, overlapping))).toEqual(new Set(overlapping.slice(25).map(spanKey)));
    expect(await db().sql.transaction((tx) => insertSpans(tx, overlapping))).toEqual(new Set());
    const stored = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM spans WHERE trace_id >= $1 AND trace_id < $2`, [hexId(32, 0xd000), hexId(32, 0xd000 + 75)]);
    expect(stored[0]?.n).toBe(75);
  });

  it("stores a span two writers send at once once, each key reported new by one of them", async () => {
    const spans = newSpans(1000, 200);
    const [a, b] = await Promise.all([db().sql.transaction((tx) => insertSpans(tx, spans)), db().sql.transaction((tx) => insertSpans(tx, spans))]);
    expect(a.size + b.size).toBe(200);
    expect(new Set([...a, ...b])).toEqual(new Set(spans.map(spanKey)));
    const stored = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM spans WHERE span_id >= $1 AND span_id < $2`, [hexId(16, 1001), hexId(16, 1201)]);
    expect(stored[0]?.n).toBe(200);
  });

  it("passes other errors on with their code (a missing day partition is 23514, which the writer retries)", async () => {
    const [span] = newSpans(5000, 1);
    const farFuture = { ...span!, startTimeUnixNano: T0 + 400n * 86_400_000n * MS, endTimeUnixNano: T0 + 400n * 86_400_000n * MS };
    await expect(db().sql.transaction((tx) => insertSpans(tx, [farFuture]))).rejects.toMatchObject({ code: "23514" });
    // The runner is still usable afterwards (the PostgreSQL connection went back to the pool clean).
    expect(await db().sql.query<{ one: number }>(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });
});
