-- AlterTable
ALTER TABLE "Question" ADD COLUMN     "trainingId" INTEGER;

-- CreateTable
CREATE TABLE "Training" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "trainerName" TEXT NOT NULL,
    "invitedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Training_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingAttendee" (
    "trainingId" INTEGER NOT NULL,
    "partnerId" INTEGER NOT NULL,

    CONSTRAINT "TrainingAttendee_pkey" PRIMARY KEY ("trainingId","partnerId")
);

-- CreateIndex
CREATE INDEX "TrainingAttendee_partnerId_idx" ON "TrainingAttendee"("partnerId");

-- AddForeignKey
ALTER TABLE "TrainingAttendee" ADD CONSTRAINT "TrainingAttendee_trainingId_fkey" FOREIGN KEY ("trainingId") REFERENCES "Training"("id") ON DELETE CASCADE ON UPDATE CASCADE;

