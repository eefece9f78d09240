-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN "inReplyTo" TEXT;
ALTER TABLE "Interaction" ADD COLUMN "pollId" TEXT;

-- CreateIndex
CREATE INDEX "Interaction_chatId_inReplyTo_idx" ON "Interaction"("chatId", "inReplyTo");

-- CreateIndex
CREATE INDEX "Interaction_chatId_pollId_createdAt_idx" ON "Interaction"("chatId", "pollId", "createdAt");


-- Rows written before kept these in meta only (JSON); the lookups now read the columns.
UPDATE "Interaction" SET "inReplyTo" = json_extract("meta", '$.inReplyTo')
WHERE "direction" = 'OUT' AND "meta" LIKE '%"inReplyTo":%'
  AND CASE WHEN json_valid("meta") THEN json_type("meta", '$.inReplyTo') = 'text' ELSE 0 END;
UPDATE "Interaction" SET "pollId" = json_extract("meta", '$.pollId')
WHERE "direction" = 'OUT' AND "meta" LIKE '%"type":"poll"%'
  AND CASE WHEN json_valid("meta") THEN json_extract("meta", '$.type') = 'poll' AND json_type("meta", '$.pollId') = 'text' ELSE 0 END;
