-- CreateIndex
CREATE INDEX "Interaction_chatId_createdAt_idx" ON "Interaction"("chatId", "createdAt");

