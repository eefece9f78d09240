-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "expiresAt" DATETIME;
ALTER TABLE "Delivery" ADD COLUMN "uncertainSince" DATETIME;

