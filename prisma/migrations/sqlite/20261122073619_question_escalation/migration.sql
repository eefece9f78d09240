-- AlterTable
ALTER TABLE "Question" ADD COLUMN "escalatedAt" DATETIME;

