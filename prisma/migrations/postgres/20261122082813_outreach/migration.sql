-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "tags" TEXT,
ADD COLUMN     "timeZone" TEXT;

-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "contactId" INTEGER;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" SERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occasion" TEXT,
    "campaignId" INTEGER,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "chatId" INTEGER,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "timeZone" TEXT,
    "message" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "claimedBy" TEXT,
    "lastError" TEXT,
    "externalMessageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "dedupeKey" TEXT,
    "createdBy" TEXT,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "remindAfterDays" INTEGER,
    "remindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollResponse" (
    "id" SERIAL NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "responder" TEXT NOT NULL,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PollResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" SERIAL NOT NULL,
    "partnerId" INTEGER NOT NULL,
    "contactId" INTEGER,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "assigneeName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "dueAt" TIMESTAMP(3),
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_dedupeKey_key" ON "Delivery"("dedupeKey");

-- CreateIndex
CREATE INDEX "Delivery_status_notBefore_idx" ON "Delivery"("status", "notBefore");

-- CreateIndex
CREATE INDEX "Delivery_campaignId_status_idx" ON "Delivery"("campaignId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_dedupeKey_key" ON "Campaign"("dedupeKey");

-- CreateIndex
CREATE INDEX "PollResponse_campaignId_partnerId_idx" ON "PollResponse"("campaignId", "partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "PollResponse_campaignId_responder_key" ON "PollResponse"("campaignId", "responder");

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_dedupeKey_key" ON "FollowUp"("dedupeKey");

-- CreateIndex
CREATE INDEX "FollowUp_partnerId_status_idx" ON "FollowUp"("partnerId", "status");

-- CreateIndex
CREATE INDEX "Chat_contactId_idx" ON "Chat"("contactId");

-- AddForeignKey
ALTER TABLE "PollResponse" ADD CONSTRAINT "PollResponse_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

