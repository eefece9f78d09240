-- AlterTable
ALTER TABLE "Question" ADD COLUMN "trainingId" INTEGER;

-- CreateTable
CREATE TABLE "Training" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "trainerName" TEXT NOT NULL,
    "invitedAt" DATETIME,
    "reportedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TrainingAttendee" (
    "trainingId" INTEGER NOT NULL,
    "partnerId" INTEGER NOT NULL,

    PRIMARY KEY ("trainingId", "partnerId"),
    CONSTRAINT "TrainingAttendee_trainingId_fkey" FOREIGN KEY ("trainingId") REFERENCES "Training" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TrainingAttendee_partnerId_idx" ON "TrainingAttendee"("partnerId");

