-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "staffId" INTEGER;

