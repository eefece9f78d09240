-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "sendingSince" DATETIME;

