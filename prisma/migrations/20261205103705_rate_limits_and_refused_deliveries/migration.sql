-- AlterTable
ALTER TABLE "PaymentReply" ADD COLUMN     "bodyBytes" INTEGER,
ADD COLUMN     "bodyDigest" TEXT,
ADD COLUMN     "clientAddress" TEXT,
ADD COLUMN     "fieldCount" INTEGER,
ADD COLUMN     "fieldNames" TEXT[],
ADD COLUMN     "refusal" TEXT,
ALTER COLUMN "fields" DROP NOT NULL;

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "bucket" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "resetAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("bucket","key")
);

-- CreateIndex
CREATE INDEX "RateLimitCounter_resetAt_idx" ON "RateLimitCounter"("resetAt");

-- CreateIndex
CREATE INDEX "PaymentReply_signatureValid_receivedAt_idx" ON "PaymentReply"("signatureValid", "receivedAt");
