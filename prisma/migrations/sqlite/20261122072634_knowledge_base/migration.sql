-- CreateTable
CREATE TABLE "KbEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "question" TEXT NOT NULL,
    "variants" TEXT NOT NULL DEFAULT '[]',
    "answer" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL DEFAULT 'faq',
    "trainingUrl" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Question" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "threadId" TEXT,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "assigneeName" TEXT,
    "answer" TEXT,
    "answeredBy" TEXT,
    "askedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME
);

-- CreateIndex
CREATE INDEX "KbEntry_updatedAt_idx" ON "KbEntry"("updatedAt");

-- CreateIndex
CREATE INDEX "Question_status_askedAt_idx" ON "Question"("status", "askedAt");

