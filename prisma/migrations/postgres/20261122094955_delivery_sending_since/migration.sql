-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "sendingSince" TIMESTAMP(3);

