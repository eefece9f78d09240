-- CreateTable
CREATE TABLE "Confirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "action" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "staffId" INTEGER NOT NULL,
    "chatId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Confirmation_staffId_chatId_createdAt_idx" ON "Confirmation"("staffId", "chatId", "createdAt");

