-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN "form" TEXT;
ALTER TABLE "FollowUp" ADD COLUMN "method" TEXT;

