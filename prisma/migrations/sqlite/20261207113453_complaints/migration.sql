-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN "complaintId" INTEGER;

-- CreateTable
CREATE TABLE "Complaint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "partnerId" INTEGER,
    "contactId" INTEGER,
    "platform" TEXT NOT NULL,
    "externalChatId" TEXT NOT NULL,
    "threadId" TEXT,
    "eventId" TEXT NOT NULL,
    "complainant" TEXT,
    "complainantName" TEXT,
    "text" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "confirmed" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "ownerName" TEXT,
    "source" TEXT NOT NULL,
    "filedBy" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "respondBy" DATETIME NOT NULL,
    "resolveBy" DATETIME NOT NULL,
    "respondedAt" DATETIME,
    "resolvedAt" DATETIME,
    "resolution" TEXT,
    "closedAt" DATETIME,
    "rating" INTEGER,
    "respondEscalatedAt" DATETIME,
    "resolveEscalatedAt" DATETIME,
    "reopenedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ComplaintStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "complaintId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT,
    "action" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    CONSTRAINT "ComplaintStep_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Complaint_status_resolveBy_idx" ON "Complaint"("status", "resolveBy");

-- CreateIndex
CREATE INDEX "Complaint_partnerId_status_idx" ON "Complaint"("partnerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_platform_eventId_key" ON "Complaint"("platform", "eventId");

-- CreateIndex
CREATE INDEX "ComplaintStep_complaintId_at_idx" ON "ComplaintStep"("complaintId", "at");

