-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "pollId" TEXT;

-- CreateIndex
CREATE INDEX "Interaction_chatId_inReplyTo_idx" ON "Interaction"("chatId", "inReplyTo");

-- CreateIndex
CREATE INDEX "Interaction_chatId_pollId_createdAt_idx" ON "Interaction"("chatId", "pollId", "createdAt");


-- Rows written before kept these in meta only (JSON text); the lookups now read the columns. A failed
-- send's reason may hold \u0000 or half an emoji, which PostgreSQL refuses to turn into text even in a
-- field nobody reads: such escapes become \ufffd in the copy that is parsed.
UPDATE "Interaction" AS i
SET "inReplyTo" = m.doc ->> 'inReplyTo',
    "pollId" = CASE WHEN m.doc ->> 'type' = 'poll' THEN m.doc ->> 'pollId' END
FROM (
  SELECT "id", regexp_replace("meta", '\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\ufffd', 'g')::json AS doc
  FROM "Interaction"
  WHERE "direction" = 'OUT' AND ("meta" LIKE '%"inReplyTo":%' OR "meta" LIKE '%"type":"poll"%')
) AS m
WHERE i."id" = m."id";
