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


-- Polls sent before this migration were found through Interaction.pollId and the values in meta; they
-- stay answerable by a bare number for the week after they were sent, as prompts (expired ones too, which
-- nothing reads). Escapes PostgreSQL refuses in text are neutralised first, as in interaction_reply_and_poll.
INSERT INTO "Prompt" ("kind", "ref", "platform", "chatId", "externalChatId", "options", "createdAt", "expiresAt")
SELECT 'POLL', m."pollId", m."platform", m."chatId", c."externalChatId",
  (SELECT json_agg(json_build_object('value', v, 'label', v))::text FROM json_array_elements_text(m.doc -> 'values') AS v),
  m."createdAt", m."createdAt" + interval '7 days'
FROM (
  SELECT "pollId", "platform", "chatId", "createdAt", regexp_replace("meta", '\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\ufffd', 'g')::json AS doc
  FROM "Interaction"
  WHERE "pollId" IS NOT NULL AND "direction" = 'OUT' AND "kind" <> 'send_failed' AND "meta" LIKE '%"values":%'
) AS m JOIN "Chat" AS c ON c."id" = m."chatId"
WHERE json_typeof(m.doc -> 'values') = 'array';
