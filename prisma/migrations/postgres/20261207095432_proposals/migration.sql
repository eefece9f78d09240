-- CreateTable
CREATE TABLE "Proposal" (
    "id" SERIAL NOT NULL,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "threadId" TEXT,
    "eventId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "ownerName" TEXT,
    "reply" TEXT,
    "repliedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "repliedAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proposal_status_createdAt_idx" ON "Proposal"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Proposal_partnerId_createdAt_idx" ON "Proposal"("partnerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_platform_eventId_key" ON "Proposal"("platform", "eventId");

