-- Cache lookups as flows (hand-written, like flow_rollups): CLIENT spans that say whether they hit count as
-- flow 'lookup' too, and miss_count holds the lookups that missed, so the cache-stampede detector reads
-- hit ratios per 10-second bucket instead of per calendar minute of metrics.
ALTER TABLE "flow_rollups" ADD COLUMN "miss_count" BIGINT NOT NULL DEFAULT 0;
