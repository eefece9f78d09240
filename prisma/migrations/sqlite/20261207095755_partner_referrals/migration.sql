-- AlterTable
ALTER TABLE "Partner" ADD COLUMN "referredById" INTEGER;

-- CreateIndex
CREATE INDEX "Partner_referredById_idx" ON "Partner"("referredById");

