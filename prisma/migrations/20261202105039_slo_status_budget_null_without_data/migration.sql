-- AlterTable
ALTER TABLE "slo_status" ALTER COLUMN "budget_remaining_ratio" DROP NOT NULL,
ALTER COLUMN "budget_consumed_ratio" DROP NOT NULL;
