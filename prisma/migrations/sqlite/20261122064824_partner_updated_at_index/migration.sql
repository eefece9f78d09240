-- CreateIndex
CREATE INDEX "Partner_updatedAt_idx" ON "Partner"("updatedAt");

