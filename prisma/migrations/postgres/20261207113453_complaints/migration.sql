-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN     "complaintId" INTEGER;

-- CreateTable
CREATE TABLE "Complaint" (
    "id" SERIAL NOT NULL,
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
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "respondBy" TIMESTAMP(3) NOT NULL,
    "resolveBy" TIMESTAMP(3) NOT NULL,
    "respondedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,
    "closedAt" TIMESTAMP(3),
    "rating" INTEGER,
    "respondEscalatedAt" TIMESTAMP(3),
    "resolveEscalatedAt" TIMESTAMP(3),
    "reopenedAt" TIMESTAMP(3),

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintStep" (
    "id" SERIAL NOT NULL,
    "complaintId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT,
    "action" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "ComplaintStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Complaint_status_resolveBy_idx" ON "Complaint"("status", "resolveBy");

-- CreateIndex
CREATE INDEX "Complaint_partnerId_status_idx" ON "Complaint"("partnerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_platform_eventId_key" ON "Complaint"("platform", "eventId");

-- CreateIndex
CREATE INDEX "ComplaintStep_complaintId_at_idx" ON "ComplaintStep"("complaintId", "at");

-- AddForeignKey
ALTER TABLE "ComplaintStep" ADD CONSTRAINT "ComplaintStep_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

