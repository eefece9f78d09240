-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occasion" TEXT,
    "campaignId" INTEGER,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "threadId" TEXT,
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
    "expiresAt" DATETIME,
    "uncertainSince" DATETIME,
    "sendingSince" DATETIME,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "inReplyTo" TEXT,
    "ephemeralTo" TEXT,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_Delivery" ("attempts", "campaignId", "chatId", "claimedBy", "contactId", "createdAt", "dedupeKey", "expiresAt", "externalChatId", "externalMessageId", "id", "kind", "lastError", "leaseUntil", "message", "notBefore", "occasion", "partnerId", "platform", "sendingSince", "sentAt", "status", "threadId", "timeZone", "uncertainSince") SELECT "attempts", "campaignId", "chatId", "claimedBy", "contactId", "createdAt", "dedupeKey", "expiresAt", "externalChatId", "externalMessageId", "id", "kind", "lastError", "leaseUntil", "message", "notBefore", "occasion", "partnerId", "platform", "sendingSince", "sentAt", "status", "threadId", "timeZone", "uncertainSince" FROM "Delivery";
DROP TABLE "Delivery";
ALTER TABLE "new_Delivery" RENAME TO "Delivery";
CREATE UNIQUE INDEX "Delivery_dedupeKey_key" ON "Delivery"("dedupeKey");
CREATE INDEX "Delivery_status_notBefore_idx" ON "Delivery"("status", "notBefore");
CREATE INDEX "Delivery_campaignId_status_idx" ON "Delivery"("campaignId", "status");
CREATE INDEX "Delivery_occasion_contactId_notBefore_idx" ON "Delivery"("occasion", "contactId", "notBefore");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

