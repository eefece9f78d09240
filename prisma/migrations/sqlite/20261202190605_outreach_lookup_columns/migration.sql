-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FollowUp" (
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
    "doneAt" DATETIME,
    "pollResponseId" INTEGER,
    CONSTRAINT "FollowUp_pollResponseId_fkey" FOREIGN KEY ("pollResponseId") REFERENCES "PollResponse" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_FollowUp" ("assigneeName", "contactId", "createdAt", "dedupeKey", "doneAt", "dueAt", "id", "kind", "partnerId", "reason", "status") SELECT "assigneeName", "contactId", "createdAt", "dedupeKey", "doneAt", "dueAt", "id", "kind", "partnerId", "reason", "status" FROM "FollowUp";
DROP TABLE "FollowUp";
ALTER TABLE "new_FollowUp" RENAME TO "FollowUp";
CREATE UNIQUE INDEX "FollowUp_dedupeKey_key" ON "FollowUp"("dedupeKey");
CREATE INDEX "FollowUp_partnerId_status_idx" ON "FollowUp"("partnerId", "status");
CREATE INDEX "FollowUp_pollResponseId_status_idx" ON "FollowUp"("pollResponseId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Delivery_occasion_contactId_notBefore_idx" ON "Delivery"("occasion", "contactId", "notBefore");


-- A mediation's poll answer was only in its key, mediation:<campaignId>:<responder>:<n>, where the
-- responder (contact:<id>, <platform>:<externalId>) may itself hold colons: the key must be exactly the
-- answer's campaign and responder followed by a number.
UPDATE "FollowUp" SET "pollResponseId" = pr."id"
FROM "PollResponse" AS pr
WHERE "FollowUp"."kind" = 'MEDIATION' AND "FollowUp"."dedupeKey" LIKE 'mediation:%'
  AND pr."campaignId" = CAST(substr("FollowUp"."dedupeKey", 11, instr(substr("FollowUp"."dedupeKey", 11), ':') - 1) AS INTEGER)
  AND substr("FollowUp"."dedupeKey", 1, length(pr."campaignId") + length(pr."responder") + 12) = 'mediation:' || pr."campaignId" || ':' || pr."responder" || ':'
  AND substr("FollowUp"."dedupeKey", length(pr."campaignId") + length(pr."responder") + 13) GLOB '[0-9]*'
  AND substr("FollowUp"."dedupeKey", length(pr."campaignId") + length(pr."responder") + 13) NOT GLOB '*[^0-9]*';
