-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "uncertainSince" TIMESTAMP(3);

