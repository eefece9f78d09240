-- CreateTable
CREATE TABLE "KbEntry" (
    "id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "variants" TEXT NOT NULL DEFAULT '[]',
    "answer" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL DEFAULT 'faq',
    "trainingUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" SERIAL NOT NULL,
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
    "askedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KbEntry_updatedAt_idx" ON "KbEntry"("updatedAt");

-- CreateIndex
CREATE INDEX "Question_status_askedAt_idx" ON "Question"("status", "askedAt");

