-- AlterTable
ALTER TABLE "Partner" ADD COLUMN "tags" TEXT;
ALTER TABLE "Partner" ADD COLUMN "timeZone" TEXT;

-- AlterTable
ALTER TABLE "Chat" ADD COLUMN "contactId" INTEGER;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "notBefore" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" DATETIME,
    "claimedBy" TEXT,
    "lastError" TEXT,
    "externalMessageId" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "dedupeKey" TEXT,
    "createdBy" TEXT,
    "sendAt" DATETIME NOT NULL,
    "remindAfterDays" INTEGER,
    "remindedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PollResponse" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "campaignId" INTEGER NOT NULL,
    "responder" TEXT NOT NULL,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "PollResponse_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "partnerId" INTEGER NOT NULL,
    "contactId" INTEGER,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "assigneeName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "dueAt" DATETIME,
    "dedupeKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "doneAt" DATETIME
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

