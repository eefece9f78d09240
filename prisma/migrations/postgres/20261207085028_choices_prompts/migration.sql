-- AlterTable
ALTER TABLE "KbEntry" ADD COLUMN     "learned" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Question" ADD COLUMN     "answerEntryId" TEXT,
ADD COLUMN     "offered" TEXT,
ADD COLUMN     "via" TEXT NOT NULL DEFAULT 'HANDOFF';

-- CreateTable
CREATE TABLE "Prompt" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" INTEGER NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "addressee" TEXT,
    "options" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "question" TEXT,
    "askedAt" TIMESTAMP(3),
    "eventId" TEXT,
    "threadId" TEXT,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "pickedEntryId" TEXT,
    "pickedAt" TIMESTAMP(3),
    "questionId" INTEGER,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "Prompt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Prompt_chatId_expiresAt_idx" ON "Prompt"("chatId", "expiresAt");

-- CreateIndex
CREATE INDEX "Prompt_status_expiresAt_idx" ON "Prompt"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Prompt_platform_eventId_key" ON "Prompt"("platform", "eventId");

-- CreateIndex
CREATE INDEX "Question_askedAt_idx" ON "Question"("askedAt");

