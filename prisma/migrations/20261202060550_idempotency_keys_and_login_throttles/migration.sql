-- DropIndex
DROP INDEX "gate_evaluations_idempotency_key_key";

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "operation" VARCHAR(64) NOT NULL,
    "caller" VARCHAR(128) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("operation","caller","key")
);

-- CreateTable
CREATE TABLE "login_throttles" (
    "key" VARCHAR(400) NOT NULL,
    "remaining" INTEGER NOT NULL,
    "lockouts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys"("expires_at");

-- CreateIndex
CREATE INDEX "login_throttles_last_attempt_at_idx" ON "login_throttles"("last_attempt_at");
