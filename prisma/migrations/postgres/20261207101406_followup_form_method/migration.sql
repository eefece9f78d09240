-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "form" TEXT,
ADD COLUMN     "method" TEXT;

