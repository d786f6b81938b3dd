-- CreateTable
CREATE TABLE "slo_rebuilds" (
    "slo_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "progress_ratio" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "slo_rebuilds_pkey" PRIMARY KEY ("slo_id")
);

-- AddForeignKey
ALTER TABLE "slo_rebuilds" ADD CONSTRAINT "slo_rebuilds_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
