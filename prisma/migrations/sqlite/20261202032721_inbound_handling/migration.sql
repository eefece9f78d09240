-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Interaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "staffId" INTEGER,
    "chatId" INTEGER,
    "externalMessageId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "meta" TEXT,
    "event" TEXT,
    "handledAt" DATETIME,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Interaction_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Interaction_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Interaction_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Interaction_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Interaction" ("chatId", "contactId", "createdAt", "direction", "externalMessageId", "id", "kind", "meta", "partnerId", "platform", "staffId", "text") SELECT "chatId", "contactId", "createdAt", "direction", "externalMessageId", "id", "kind", "meta", "partnerId", "platform", "staffId", "text" FROM "Interaction";
DROP TABLE "Interaction";
ALTER TABLE "new_Interaction" RENAME TO "Interaction";
CREATE INDEX "Interaction_partnerId_createdAt_idx" ON "Interaction"("partnerId", "createdAt");
CREATE INDEX "Interaction_chatId_createdAt_idx" ON "Interaction"("chatId", "createdAt");
CREATE INDEX "Interaction_handledAt_leaseUntil_idx" ON "Interaction"("handledAt", "leaseUntil");
CREATE UNIQUE INDEX "Interaction_platform_externalMessageId_key" ON "Interaction"("platform", "externalMessageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Everything stored before this migration was handled by the hub that stored it.
UPDATE "Interaction" SET "handledAt" = "createdAt";
