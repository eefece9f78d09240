-- CreateTable
CREATE TABLE "Prompt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" INTEGER NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "addressee" TEXT,
    "options" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "question" TEXT,
    "askedAt" DATETIME,
    "eventId" TEXT,
    "threadId" TEXT,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "pickedEntryId" TEXT,
    "pickedAt" DATETIME,
    "questionId" INTEGER,
    "settledAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_KbEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "question" TEXT NOT NULL,
    "variants" TEXT NOT NULL DEFAULT '[]',
    "answer" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL DEFAULT 'faq',
    "trainingUrl" TEXT,
    "learned" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_KbEntry" ("answer", "createdAt", "id", "question", "source", "tags", "trainingUrl", "updatedAt", "variants") SELECT "answer", "createdAt", "id", "question", "source", "tags", "trainingUrl", "updatedAt", "variants" FROM "KbEntry";
DROP TABLE "KbEntry";
ALTER TABLE "new_KbEntry" RENAME TO "KbEntry";
CREATE INDEX "KbEntry_updatedAt_idx" ON "KbEntry"("updatedAt");
CREATE TABLE "new_Question" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "askedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "escalatedAt" DATETIME,
    "trainingId" INTEGER,
    "via" TEXT NOT NULL DEFAULT 'HANDOFF',
    "offered" TEXT,
    "answerEntryId" TEXT
);
INSERT INTO "new_Question" ("answer", "answeredAt", "answeredBy", "askedAt", "assigneeName", "contactId", "escalatedAt", "externalChatId", "id", "partnerId", "platform", "status", "text", "threadId", "trainingId") SELECT "answer", "answeredAt", "answeredBy", "askedAt", "assigneeName", "contactId", "escalatedAt", "externalChatId", "id", "partnerId", "platform", "status", "text", "threadId", "trainingId" FROM "Question";
DROP TABLE "Question";
ALTER TABLE "new_Question" RENAME TO "Question";
CREATE INDEX "Question_status_askedAt_idx" ON "Question"("status", "askedAt");
CREATE INDEX "Question_askedAt_idx" ON "Question"("askedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Prompt_chatId_expiresAt_idx" ON "Prompt"("chatId", "expiresAt");

-- CreateIndex
CREATE INDEX "Prompt_status_expiresAt_idx" ON "Prompt"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Prompt_platform_eventId_key" ON "Prompt"("platform", "eventId");


-- Polls sent before this migration were found through Interaction.pollId and the values in meta; they
-- stay answerable by a bare number for the week after they were sent, as prompts (expired ones too, which
-- nothing reads).
INSERT INTO "Prompt" ("kind", "ref", "platform", "chatId", "externalChatId", "options", "createdAt", "expiresAt")
SELECT 'POLL', i."pollId", i."platform", i."chatId", c."externalChatId",
  (SELECT json_group_array(json_object('value', v.value, 'label', v.value)) FROM json_each(i."meta", '$.values') AS v),
  i."createdAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', i."createdAt", '+7 days')
FROM "Interaction" AS i JOIN "Chat" AS c ON c."id" = i."chatId"
WHERE i."pollId" IS NOT NULL AND i."direction" = 'OUT' AND i."kind" <> 'send_failed'
  AND CASE WHEN json_valid(i."meta") THEN json_type(i."meta", '$.values') = 'array' ELSE 0 END;
