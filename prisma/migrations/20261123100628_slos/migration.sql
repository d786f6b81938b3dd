-- CreateTable
CREATE TABLE "slos" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_minute_rollups" (
    "slo_id" UUID NOT NULL,
    "minute" INTEGER NOT NULL,
    "good" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "total" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "slo_minute_rollups_pkey" PRIMARY KEY ("slo_id","minute")
);

-- CreateTable
CREATE TABLE "slo_status" (
    "slo_id" UUID NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "no_data" BOOLEAN NOT NULL,
    "sli_ratio" DOUBLE PRECISION,
    "budget_remaining_ratio" DOUBLE PRECISION NOT NULL,
    "budget_consumed_ratio" DOUBLE PRECISION NOT NULL,
    "firing_severity" TEXT,
    "exhaustion_at" TIMESTAMPTZ(3),
    "report" JSONB NOT NULL,

    CONSTRAINT "slo_status_pkey" PRIMARY KEY ("slo_id")
);

-- CreateTable
CREATE TABLE "slo_alerts" (
    "slo_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_since_at" TIMESTAMPTZ(3),
    "fired_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "summary" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "slo_alerts_pkey" PRIMARY KEY ("slo_id","key")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" BIGSERIAL NOT NULL,
    "slo_id" UUID NOT NULL,
    "slo_name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,
    "summary" TEXT NOT NULL,
    "values" JSONB NOT NULL,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slos_name_key" ON "slos"("name");

-- CreateIndex
CREATE INDEX "slos_service_idx" ON "slos"("service");

-- CreateIndex
CREATE INDEX "alert_events_at_idx" ON "alert_events"("at");

-- AddForeignKey
ALTER TABLE "slo_minute_rollups" ADD CONSTRAINT "slo_minute_rollups_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_status" ADD CONSTRAINT "slo_status_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_alerts" ADD CONSTRAINT "slo_alerts_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
