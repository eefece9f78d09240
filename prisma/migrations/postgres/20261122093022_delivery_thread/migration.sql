-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "threadId" TEXT;

