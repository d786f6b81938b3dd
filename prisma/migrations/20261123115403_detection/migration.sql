-- CreateTable
CREATE TABLE "signals" (
    "id" BIGSERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "active_key" TEXT,
    "kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "services" TEXT[],
    "severity" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "reason_codes" TEXT[],
    "evidence" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "opened_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "signals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "signals_active_key_key" ON "signals"("active_key");

-- CreateIndex
CREATE INDEX "signals_phase_updated_at_idx" ON "signals"("phase", "updated_at");

-- CreateIndex
CREATE INDEX "signals_fingerprint_first_seen_at_idx" ON "signals"("fingerprint", "first_seen_at");

-- Flow rollups (hand-written; listed in lib/db/telemetry-tables.ts): per 10-second bucket of span time, the
-- messages published to and consumed from each queue and the calls each service makes to each dependency.
-- The detectors read these sliding windows instead of scanning raw spans. flow: publish | consume | call.
CREATE TABLE "flow_rollups" (
    "bucket" INTEGER NOT NULL,
    "flow" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    "error_count" BIGINT NOT NULL,
    "retry_count" BIGINT NOT NULL,
    "duration_sum_ns" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "flow_rollups_pkey" PRIMARY KEY ("bucket", "flow", "service", "target")
);
