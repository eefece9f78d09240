-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "event" TEXT,
ADD COLUMN     "handledAt" TIMESTAMP(3),
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Interaction_handledAt_leaseUntil_idx" ON "Interaction"("handledAt", "leaseUntil");


-- Everything stored before this migration was handled by the hub that stored it.
UPDATE "Interaction" SET "handledAt" = "createdAt";
