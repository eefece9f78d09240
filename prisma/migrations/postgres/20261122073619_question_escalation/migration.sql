-- AlterTable
ALTER TABLE "Question" ADD COLUMN     "escalatedAt" TIMESTAMP(3);

