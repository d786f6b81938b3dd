-- Job timings (hand-written; `jobs` is listed in lib/db/telemetry-tables.ts): time in queue, time in workers and
-- end-to-end time per job, with the indexes the jobs list filters and pages by.
--
-- queue_ns and worker_ns are recomputed on every merge from two sets keyed by span ID, as lib/otlp/job-timings.ts
-- does: consumer_timings {"<span id>": {"s": start ns, "e": end ns, "p": parent span id, "l": [linked span ids]}}
-- and producer_ends {"<span id>": end ns} (nanoseconds as JSON strings: past 2^53 a JSON number loses digits
-- in JavaScript). A re-sent span is the same key with the same values, so it changes nothing.
ALTER TABLE "jobs" ADD COLUMN "consumer_timings" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "jobs" ADD COLUMN "producer_ends" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "jobs" ADD COLUMN "queue_ns" BIGINT;
ALTER TABLE "jobs" ADD COLUMN "worker_ns" BIGINT;
-- First span start (the API's accept) to the terminal status; NULL while the job runs.
ALTER TABLE "jobs" ADD COLUMN "e2e_ns" BIGINT GENERATED ALWAYS AS (CASE WHEN "status" <> 'running' THEN "status_time_ns" - "first_seen_ns" END) STORED;

-- The jobs list pages by (last_seen_ns, job_id) newest first; the composite replaces the single-column index.
DROP INDEX "jobs_last_seen_ns_idx";
CREATE INDEX "jobs_last_seen_ns_job_id_idx" ON "jobs" ("last_seen_ns", "job_id");
CREATE INDEX "jobs_status_last_seen_ns_idx" ON "jobs" ("status", "last_seen_ns", "job_id");
CREATE INDEX "jobs_services_idx" ON "jobs" USING GIN ("services");
CREATE INDEX "jobs_e2e_ns_idx" ON "jobs" ("e2e_ns") WHERE "e2e_ns" IS NOT NULL;
CREATE INDEX "jobs_retried_idx" ON "jobs" ("attempts", "last_seen_ns") WHERE "attempts" > 1;

-- The three functions below run for every job row a batch touches. They are PL/pgSQL loops over at most 64
-- entries: SQL-language versions of the same (CTEs over jsonb_each) were planned on every call and measured
-- 10–50× slower here.

-- Keeps the entries with the 64 smallest span IDs (bytewise), as MAX_TIMING_SPANS in job-timings.ts.
CREATE FUNCTION "tg_cap_timing_set"(m JSONB) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
  FROM (SELECT key, value FROM jsonb_each(m) ORDER BY key COLLATE "C" LIMIT 64) t
$$;

-- mergeConsumerTimings: union by span ID; one span seen twice keeps the larger of each fact and the union of its links.
CREATE FUNCTION "tg_merge_consumer_timings"(a JSONB, b JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  merged JSONB := a;
  k TEXT;
  y JSONB;
  x JSONB;
BEGIN
  FOR k, y IN SELECT key, value FROM jsonb_each(b) LOOP
    x := merged -> k;
    IF x IS NULL THEN
      merged := merged || jsonb_build_object(k, y);
    ELSIF x IS DISTINCT FROM y THEN
      merged := merged || jsonb_build_object(k, jsonb_build_object(
        's', greatest((x->>'s')::bigint, (y->>'s')::bigint)::text,
        'e', greatest((x->>'e')::bigint, (y->>'e')::bigint)::text,
        'p', CASE WHEN x->>'p' IS NULL THEN y->'p' WHEN y->>'p' IS NULL THEN x->'p'
                  WHEN (x->>'p') COLLATE "C" >= (y->>'p') COLLATE "C" THEN x->'p' ELSE y->'p' END,
        'l', to_jsonb(tg_set_union(ARRAY(SELECT jsonb_array_elements_text(x->'l')), ARRAY(SELECT jsonb_array_elements_text(y->'l'))))));
    END IF;
  END LOOP;
  IF merged IS DISTINCT FROM a AND (SELECT count(*) FROM jsonb_object_keys(merged)) > 64 THEN
    merged := tg_cap_timing_set(merged);
  END IF;
  RETURN merged;
END
$$;

-- mergeProducerTimings: union by span ID; one span seen twice keeps the later end.
CREATE FUNCTION "tg_merge_producer_ends"(a JSONB, b JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  merged JSONB := a;
  k TEXT;
  y TEXT;
BEGIN
  FOR k, y IN SELECT key, value #>> '{}' FROM jsonb_each(b) LOOP
    IF NOT merged ? k OR (merged->>k)::bigint < y::bigint THEN
      merged := merged || jsonb_build_object(k, y);
    END IF;
  END LOOP;
  IF merged IS DISTINCT FROM a AND (SELECT count(*) FROM jsonb_object_keys(merged)) > 64 THEN
    merged := tg_cap_timing_set(merged);
  END IF;
  RETURN merged;
END
$$;

-- jobTimings: per outermost consumer (its parent is not another consumer of the job), the wait from its paired
-- producer's end (parent or link; the latest if several) or else from the latest producer end or other outermost
-- consumer end at or before its start; summed. Worker time sums the outermost consumers' durations.
CREATE FUNCTION "tg_job_timings"(consumers JSONB, producers JSONB, OUT queue_ns BIGINT, OUT worker_ns BIGINT) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k TEXT;
  c JSONB;
  o JSONB;
  ref TEXT;
  s BIGINT;
  ready BIGINT;
  candidate BIGINT;
BEGIN
  FOR k, c IN SELECT key, value FROM jsonb_each(consumers) LOOP
    CONTINUE WHEN c->>'p' IS NOT NULL AND consumers ? (c->>'p');
    s := (c->>'s')::bigint;
    worker_ns := coalesce(worker_ns, 0) + ((c->>'e')::bigint - s);
    ready := NULL;
    FOR ref IN SELECT c->>'p' UNION ALL SELECT jsonb_array_elements_text(c->'l') LOOP
      IF ref IS NOT NULL AND producers ? ref THEN
        ready := greatest(ready, (producers->>ref)::bigint);
      END IF;
    END LOOP;
    IF ready IS NULL THEN
      FOR candidate IN SELECT (value #>> '{}')::bigint FROM jsonb_each(producers) LOOP
        IF candidate <= s THEN ready := greatest(ready, candidate); END IF;
      END LOOP;
      FOR ref, o IN SELECT key, value FROM jsonb_each(consumers) LOOP
        CONTINUE WHEN ref = k OR (o->>'p' IS NOT NULL AND consumers ? (o->>'p'));
        candidate := (o->>'e')::bigint;
        IF candidate <= s THEN ready := greatest(ready, candidate); END IF;
      END LOOP;
    END IF;
    IF ready IS NOT NULL THEN
      queue_ns := coalesce(queue_ns, 0) + greatest(s - ready, 0);
    END IF;
  END LOOP;
END
$$;
