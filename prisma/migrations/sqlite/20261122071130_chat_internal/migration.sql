-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Chat" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT,
    "partnerId" INTEGER,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Chat_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Chat" ("createdAt", "externalChatId", "id", "kind", "partnerId", "platform", "title") SELECT "createdAt", "externalChatId", "id", "kind", "partnerId", "platform", "title" FROM "Chat";
DROP TABLE "Chat";
ALTER TABLE "new_Chat" RENAME TO "Chat";
CREATE UNIQUE INDEX "Chat_platform_externalChatId_key" ON "Chat"("platform", "externalChatId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

