-- AlterTable
ALTER TABLE "gate_evaluations" ADD COLUMN     "override_id" UUID;

-- CreateTable
CREATE TABLE "gate_overrides" (
    "id" UUID NOT NULL,
    "services" TEXT[],
    "version" TEXT,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,

    CONSTRAINT "gate_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "gate_overrides_expires_at_idx" ON "gate_overrides"("expires_at");
