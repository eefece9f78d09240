-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "pollResponseId" INTEGER;

-- CreateIndex
CREATE INDEX "Delivery_occasion_contactId_notBefore_idx" ON "Delivery"("occasion", "contactId", "notBefore");

-- CreateIndex
CREATE INDEX "FollowUp_pollResponseId_status_idx" ON "FollowUp"("pollResponseId", "status");

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_pollResponseId_fkey" FOREIGN KEY ("pollResponseId") REFERENCES "PollResponse"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- A mediation's poll answer was only in its key, mediation:<campaignId>:<responder>:<n>, where the
-- responder (contact:<id>, <platform>:<externalId>) may itself hold colons: the key must be exactly the
-- answer's campaign and responder followed by a number.
UPDATE "FollowUp" AS f SET "pollResponseId" = pr."id"
FROM "PollResponse" AS pr
WHERE f."kind" = 'MEDIATION' AND f."dedupeKey" LIKE 'mediation:%'
  AND pr."campaignId"::text = split_part(f."dedupeKey", ':', 2)
  AND left(f."dedupeKey", length(pr."campaignId"::text) + length(pr."responder") + 12) = 'mediation:' || pr."campaignId" || ':' || pr."responder" || ':'
  AND substr(f."dedupeKey", length(pr."campaignId"::text) + length(pr."responder") + 13) ~ '^[0-9]+$';
