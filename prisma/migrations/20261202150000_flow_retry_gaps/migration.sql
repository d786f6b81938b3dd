-- Retry gaps on call flows (hand-written, like flow_rollups): for retried CLIENT calls whose parent's earlier
-- failed call to the same dependency arrived in the same batch, how many gaps were measured and the sum of
-- ln(1 + gap in ms), so the retry-storm detector judges backoff for callers without job IDs.
ALTER TABLE "flow_rollups" ADD COLUMN "retry_gap_count" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "flow_rollups" ADD COLUMN "retry_gap_log_ms_sum" DOUBLE PRECISION NOT NULL DEFAULT 0;
